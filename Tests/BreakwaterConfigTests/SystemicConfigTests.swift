import BreakwaterSystemic
import Foundation
import Testing

@testable import BreakwaterConfig

/// The `systemic` block: defaults when left out, values read, and every bad value reported
/// with its JSON path.
@Suite struct SystemicConfigTests {
    static let market =
        #""markets": [{"id": "A", "sources": [{"id": "p", "kind": "push", "tokenEnv": "T"}], "aggregation": {"minSources": 1}}]"#

    func issues(_ systemic: String) -> [String] {
        do {
            _ = try ConfigLoader.parse(Data("{\"systemic\": \(systemic), \(Self.market)}".utf8))
            return []
        } catch let e as ConfigError {
            return e.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func theDefaultsApplyWhenTheBlockIsLeftOut() throws {
        let s = try ConfigLoader.parse(Data("{\(Self.market)}".utf8)).systemic
        #expect(s.sampleSeconds == 60)
        #expect(s.shiftSigma == 1)
        #expect(s.maxAverageCorrelation == 0.8)
        #expect(s.minSamples >= 2 && s.shortWindow >= 2 && s.shortWindow < s.longWindow)
    }

    @Test func valuesAreRead() throws {
        let json = """
            {"systemic": {"sampleSeconds": 1, "halfLifeSeconds": 30, "minSamples": 5, "shortWindow": 3,
             "longWindow": 20, "shiftSigma": 1.5, "maxAverageCorrelation": 0.7}, \(Self.market)}
            """
        let s = try ConfigLoader.parse(Data(json.utf8)).systemic
        #expect(s.sampleSeconds == 1 && s.halfLifeSeconds == 30 && s.minSamples == 5)
        #expect(s.shortWindow == 3 && s.longWindow == 20 && s.shiftSigma == 1.5 && s.maxAverageCorrelation == 0.7)
    }

    @Test func badValuesAreReportedWithTheirPaths() {
        let cases: [(String, String)] = [
            (#"{"halfLifeSeconds": 0}"#, "systemic.halfLifeSeconds: 0 is out of range"),
            (#"{"halfLifeSeconds": -60}"#, "systemic.halfLifeSeconds: -60 is out of range"),
            (#"{"sampleSeconds": 0}"#, "systemic.sampleSeconds: 0 is out of range"),
            (#"{"minSamples": 1}"#, "systemic.minSamples: 1 is out of range (expected 2..."),
            (#"{"shortWindow": 1}"#, "systemic.shortWindow: 1 is out of range (expected 2..."),
            (#"{"longWindow": 1}"#, "systemic.longWindow: 1 is out of range (expected 2..."),
            (#"{"shortWindow": 30, "longWindow": 30}"#, "systemic.shortWindow: 30 is not shorter than longWindow 30"),
            (#"{"maxAverageCorrelation": 1.2}"#, "systemic.maxAverageCorrelation: 1.2 is out of range"),
            (#"{"shiftSigma": 0}"#, "systemic.shiftSigma: 0 is out of range"),
            (#"{"minSamples": 2.5}"#, "systemic.minSamples: expected a whole number"),
            (#"{"halflife": 60}"#, "systemic.halflife: unknown key"),
            (#"[]"#, "systemic: expected an object"),
        ]
        for (block, expected) in cases {
            let found = issues(block)
            #expect(found.contains { $0.hasPrefix(expected) }, "\(block): \(found)")
        }
    }
}
