import BreakwaterEngine
import Foundation
import Testing

@testable import BreakwaterConfig

/// The margin model's settings: every bad value is an error with its JSON path.
struct MarginModelConfigTests {
    func issues(_ margin: String, defaults: String = "{}") -> [String] {
        let json = """
            {"defaults": {"margin": \(defaults)},
             "markets": [{"id": "A", "sources": [{"id": "p", "kind": "push", "tokenEnv": "T"}],
                          "aggregation": {"minSources": 1}, "margin": \(margin)}]}
            """
        do {
            _ = try ConfigLoader.parse(Data(json.utf8))
            return []
        } catch let e as ConfigError {
            return e.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func filteredHistoricalIsReadWithItsWindows() throws {
        let c = try ConfigLoader.parse(
            Data(
                """
                {"markets": [{"id": "A", "sources": [{"id": "p", "kind": "push", "tokenEnv": "T"}],
                  "aggregation": {"minSources": 1},
                  "margin": {"distribution": "filtered-historical", "historySamples": 750, "minHistorySamples": 100}}]}
                """.utf8
            )
        )
        let m = try #require(c.markets.first).margin
        #expect(m.distribution == .filteredHistorical)
        #expect(m.historySamples == 750 && m.minHistorySamples == 100)
    }

    @Test("coverage outside (0.5, 1) is refused", arguments: ["0.5", "1", "0.2", "1.01", "-0.99"])
    func coverageOutsideTheOpenInterval(value: String) {
        let found = issues("{\"coverage\": \(value)}")
        #expect(found.contains { $0.hasPrefix("markets[0].margin.coverage: ") }, "\(found)")
    }

    @Test("half-lives that are not positive are refused", arguments: ["0", "-3600"])
    func halfLifeNotPositive(value: String) {
        let found = issues("{\"halfLifeSeconds\": \(value)}")
        #expect(found.contains { $0.hasPrefix("markets[0].margin.halfLifeSeconds: ") }, "\(found)")
    }

    @Test("history windows shorter than 2 samples are refused", arguments: ["historySamples", "minHistorySamples"])
    func windowsShorterThanTwoSamples(key: String) {
        for value in ["1", "0", "-5", "2.5"] {
            let found = issues("{\"\(key)\": \(value)}")
            #expect(found.contains { $0.hasPrefix("markets[0].margin.\(key): ") }, "\(key) \(value): \(found)")
        }
    }

    @Test func minHistoryAboveTheWindowIsRefusedWhereItWasSet() {
        let found = issues("{\"historySamples\": 100, \"minHistorySamples\": 200}")
        #expect(
            found.contains {
                $0.hasPrefix(
                    "markets[0].margin.minHistorySamples: margin.minHistorySamples 200 is above margin.historySamples 100"
                )
            },
            "\(found)"
        )
        // One of the two set in the defaults block: the message points at the one the market sets.
        let mixed = issues("{\"historySamples\": 100}", defaults: "{\"minHistorySamples\": 300}")
        #expect(mixed.contains { $0.hasPrefix("markets[0].margin.historySamples: ") }, "\(mixed)")
        // Both in the defaults block: the message points there.
        let fromDefaults = issues("{}", defaults: "{\"historySamples\": 100, \"minHistorySamples\": 300}")
        #expect(fromDefaults.contains { $0.hasPrefix("defaults.margin.minHistorySamples: ") }, "\(fromDefaults)")
        // Equal is fine: the empirical quantile takes over once the window is full.
        #expect(issues("{\"historySamples\": 100, \"minHistorySamples\": 100}").isEmpty)
    }

    @Test func unknownDistributionNamesTheChoices() {
        let found = issues("{\"distribution\": \"historical\"}")
        #expect(
            found.contains { $0.hasPrefix("markets[0].margin.distribution: ") && $0.contains("filtered-historical") },
            "\(found)"
        )
    }
}
