import BreakwaterEngine
import BreakwaterWire
import Foundation
import Testing

@testable import BreakwaterConfig

struct ConfigTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func issues(_ json: String) -> [String] {
        do {
            _ = try ConfigLoader.parse(Data(json.utf8))
            return []
        } catch let e as ConfigError {
            return e.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func shippedConfigIsValid() throws {
        let c = try ConfigLoader.load(path: Self.repoRoot.appendingPathComponent("config.json").path)
        #expect(c.server.host == "127.0.0.1" && c.server.port == 8080)
        #expect(Set(c.markets.map(\.id)).isSuperset(of: ["BTC-USD", "ETH-USD", "SOL-USD"]))
        // USDT venues enter USD markets only through normalizeBy.
        for m in c.markets where m.id.hasSuffix("-USD") {
            for s in m.sources where s.symbol?.uppercased().hasSuffix("USDT") == true {
                #expect(s.normalizeBy == "USDT-USD", "\(m.id).\(s.id) quotes in USDT")
            }
        }
        let engine = try RiskEngine(markets: c.engineMarkets(), start: 0)
        #expect(engine.markets.count == c.markets.count)
    }

    @Test func reportsEveryProblemWithItsPath() {
        let found = issues(
            """
            {"server": {"port": 70000, "hots": "x"},
             "markets": [
               {"id": "A", "sources": [{"id": "a", "kind": "push", "tokenEnv": "T"}]},
               {"id": "B", "sources": [{"id": "c", "kind": "coinbse", "symbol": "X"}, {"id": "c", "kind": "kraken"}],
                "aggregation": {"minSources": 5, "maxDeviation": 0.02, "maxAgeMS": 10},
                "breaker": {"maxDivergence": 0.01, "band": "0.05"}}]}
            """
        )
        let expected = [
            "server.port: 70000 is out of range",
            "server.hots: unknown key",
            "markets[1].sources[0].kind: unknown kind \"coinbse\" (expected one of",
            "markets[1].sources[1].symbol: missing",
            "markets[1].aggregation.maxAgeMS: unknown key",
            "markets[1].breaker.band: expected a number, found a string",
        ]
        for e in expected { #expect(found.contains { $0.hasPrefix(e) }, "missing \(e) in \(found)") }
        #expect(
            found.contains { $0.hasPrefix("markets[1].aggregation.minSources: quorum 5 is larger than the market's") },
            "\(found)"
        )
        #expect(found.contains { $0.hasPrefix("markets[1].breaker.maxDivergence:") }, "\(found)")
    }

    /// Problems come in the order of the file, whichever check found them: here the
    /// cross-checks (unknown normalizer, quorum) are found after every market was read, and
    /// `storage` is read before `markets` though the file puts it last.
    /// `server.maxConnections` caps open connections: a few thousand by default, a whole
    /// number from 1 up, with a clear error otherwise.
    @Test func maxConnectionsIsValidated() throws {
        let market =
            #""markets": [{"id": "A", "sources": [{"id": "a", "kind": "push", "tokenEnv": "T"}], "aggregation": {"minSources": 1}}]"#
        #expect(try ConfigLoader.parse(Data("{\(market)}".utf8)).server.maxConnections == 4096)
        #expect(
            try ConfigLoader.parse(Data(#"{"server": {"maxConnections": 200}, \#(market)}"#.utf8)).server.maxConnections
                == 200
        )
        for (value, message) in [
            ("0", "server.maxConnections: 0 is out of range (expected 1...1000000)"),
            ("2.5", "server.maxConnections: expected a whole number, found 2.5"),
            ("\"many\"", "server.maxConnections: expected a number, found a string"),
        ] {
            let found = issues(#"{"server": {"maxConnections": \#(value)}, \#(market)}"#)
            #expect(found.contains { $0.hasPrefix(message) }, "\(found)")
        }
    }

    @Test func problemsAreListedInTheOrderOfTheFile() {
        let found = issues(
            """
            {"markets": [
               {"id": "A", "sources": [{"id": "x", "kind": "push", "tokenEnv": "T", "normalizeBy": "Z"}],
                "aggregation": {"minSources": 2}},
               {"sources": [{"id": "y", "kind": "coinbse", "symbol": "X"}]}],
             "server": {"hots": "x"},
             "storage": {"path": ""}}
            """
        ).map { String($0.prefix { $0 != ":" }) }
        #expect(
            found == [
                "markets[0].sources[0].normalizeBy", "markets[0].aggregation.minSources", "markets[1].id",
                "markets[1].sources[0].kind", "server.hots", "storage.path",
            ],
            "\(found)"
        )
        #expect(IssueSink.enclosingPaths("a.b[2].c") == ["a.b[2].c", "a.b[2]", "a.b", "a", ""])
        // Problems of the environment have no place in the file: they come first; a missing key
        // is placed where its enclosing object begins (here the document).
        do {
            _ = try ConfigLoader.parse(
                Data(#"{"storage": {"path": ""}}"#.utf8),
                environment: [ConfigLoader.portVariable: "x"]
            )
            Issue.record("accepted")
        } catch {
            #expect(
                (error as? ConfigError)?.issues.map(\.path) == [
                    "env \(ConfigLoader.portVariable)", "markets", "storage.path",
                ],
                "\(error)"
            )
        }
    }

    /// Up to 6 markets are listed one by one; more are grouped by thresholds, so that a
    /// summary of thousands of markets stays one screen.
    @Test func theSummaryOfManyMarketsStaysOneScreen() throws {
        func market(_ i: Int, band: (Int) -> Double = { $0 % 3 == 0 ? 0.12 : 0.08 }) -> String {
            #"{"id": "M\#(i)", "sources": [{"id": "a", "kind": "push", "tokenEnv": "T"}, {"id": "b", "kind": "push", "tokenEnv": "U"}],"#
                + #" "aggregation": {"minSources": 1}, "breaker": {"band": \#(band(i))}}"#
        }
        func config(
            _ n: Int,
            band: @escaping (Int) -> Double = { $0 % 3 == 0 ? 0.12 : 0.08 }
        ) throws -> BreakwaterConfig {
            try ConfigLoader.parse(
                Data(#"{"markets": [\#((0..<n).map { market($0, band: band) }.joined(separator: ","))]}"#.utf8)
            )
        }
        let few = ConfigSummary.render(try config(6), path: "c.json")
        #expect(few.contains("\nM5  median of 2, quorum 1") && !few.contains("grouped"), "\(few)")
        #expect(few.split(separator: "\n").count <= 34)
        let many = ConfigSummary.render(try config(3_000), path: "c.json").split(separator: "\n")
        #expect(many.count <= 25, "\(many.count) lines")
        #expect(many.contains("2000 markets: M1, M2, M4, M5, M7, M8 and 1994 more"), "\(many)")
        #expect(many.contains("1000 markets: M0, M3, M6, M9, M12, M15 and 994 more"), "\(many)")
        #expect(many.contains { $0.contains("band +/-12% of") } && many.contains("  sources  push (4000)"), "\(many)")
        let every = ConfigSummary.render(try config(3_000), path: "c.json", everyMarket: true)
        #expect(every.contains("\nM2999  median of 2"))
        // Every market with its own band: 4 groups shown, the rest counted, still one screen.
        let distinct = ConfigSummary.render(try config(100) { 0.05 + Double($0) * 1e-4 }, path: "c.json").split(
            separator: "\n"
        )
        #expect(
            distinct.count <= 34 && distinct.last == "and 96 more threshold sets covering 96 markets",
            "\(distinct)"
        )
        // Values that print alike are still different thresholds: not one group.
        let close = ConfigSummary.render(try config(10) { $0 < 5 ? 0.05 : 0.0500004 }, path: "c.json")
        #expect(
            close.contains(
                "5 markets: M0, M1, M2, M3, M4 (thresholds differ from another group's beyond the digits shown)\n"
            )
                && close.contains("5 markets: M5, M6, M7, M8, M9 (thresholds differ"),
            "\(close)"
        )
        #expect(!ConfigSummary.render(try config(10), path: "c.json").contains("beyond the digits shown"))
    }

    @Test func duplicatesCyclesAndUnknownNormalizers() {
        let found = issues(
            """
            {"markets": [
               {"id": "A", "sources": [{"id": "x", "kind": "push", "tokenEnv": "T", "normalizeBy": "B"}], "aggregation": {"minSources": 1}},
               {"id": "B", "sources": [{"id": "x", "kind": "push", "tokenEnv": "T", "normalizeBy": "A"},
                                       {"id": "x", "kind": "push", "tokenEnv": "T", "normalizeBy": "Z"}], "aggregation": {"minSources": 1}},
               {"id": "A", "sources": [{"id": "y", "kind": "push", "tokenEnv": "U"}], "aggregation": {"minSources": 1}}]}
            """
        )
        #expect(found.contains { $0.contains("duplicate market id \"A\"") }, "\(found)")
        #expect(found.contains { $0.contains("duplicate source id \"x\"") }, "\(found)")
        #expect(found.contains { $0.contains("unknown market \"Z\"") }, "\(found)")
        #expect(found.contains { $0.contains("normalizeBy forms a cycle") }, "\(found)")
    }

    @Test func rejectsNonFiniteAndOutOfRangeNumbersAndBadJSON() {
        #expect(
            issues("{\"markets\": [").first
                == "markets[0]: not valid JSON at line 1, column 14: the text ends where a value was expected"
        )
        let found = issues(
            """
            {"markets": [{"id": "A", "sources": [{"id": "p", "kind": "push", "tokenEnv": "T"}],
              "aggregation": {"minSources": 1.5, "maxDeviation": -1},
              "margin": {"coverage": 1.5, "tailDegreesOfFreedom": 2, "maintenanceRatio": 0},
              "breaker": {"band": 1.5}}]}
            """
        )
        // A number too large for a Double is a JSON error, reported, never a crash.
        #expect(!issues("{\"markets\": [{\"id\": \"A\", \"breaker\": {\"band\": 1e400}}]}").isEmpty)
        for key in ["minSources", "maxDeviation", "coverage", "tailDegreesOfFreedom", "maintenanceRatio", "band"] {
            #expect(found.contains { $0.contains(".\(key):") }, "no issue for \(key): \(found)")
        }
    }

    @Test func defaultsApplyAndMarketsOverrideKeyByKey() throws {
        let c = try ConfigLoader.parse(
            Data(
                """
                {"defaults": {"aggregation": {"maxAgeMs": 20000, "maxDeviation": 0.03}, "breaker": {"velocity": {"move": 0.1}}},
                 "markets": [{"id": "A", "sources": [{"id": "p", "kind": "push", "tokenEnv": "T"}, {"id": "q", "kind": "push", "tokenEnv": "U"}],
                              "aggregation": {"maxDeviation": null}, "breaker": {"velocity": {"windowSeconds": 30}}}]}
                """.utf8
            )
        )
        let m = try #require(c.markets.first)
        #expect(m.aggregation.maxAgeSeconds == 20)
        #expect(m.aggregation.maxDeviation == nil)
        #expect(m.breaker.velocity.move == 0.1)
        #expect(m.breaker.velocity.windowSeconds == 30)
    }

    @Test func environmentOverridesHostAndPort() throws {
        let json = Data(
            "{\"markets\": [{\"id\": \"A\", \"sources\": [{\"id\": \"p\", \"kind\": \"push\", \"tokenEnv\": \"T\"}], \"aggregation\": {\"minSources\": 1}}]}"
                .utf8
        )
        let c = try ConfigLoader.parse(json, environment: ["BREAKWATER_HOST": "0.0.0.0", "BREAKWATER_PORT": "9090"])
        #expect(c.server.host == "0.0.0.0" && c.server.port == 9090)
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(json, environment: ["BREAKWATER_PORT": "http"]) }
        // Addresses that look like IPv4 must be IPv4; names and IPv6 pass.
        for bad in ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01234.1.1.1"] {
            #expect(throws: ConfigError.self, "\(bad)") {
                try ConfigLoader.parse(json, environment: ["BREAKWATER_HOST": bad])
            }
        }
        for good in [
            "255.255.255.255", "0.0.0.0", "breakwater.svc.cluster.local", "::1", "localhost", "host-1.example",
        ] {
            #expect(try ConfigLoader.parse(json, environment: ["BREAKWATER_HOST": good]).server.host == good)
        }
    }

    @Test func secretsAreNamedNotWritten() {
        let found = issues(
            """
            {"markets": [{"id": "A", "sources": [{"id": "p", "kind": "push", "tokenEnv": "not a name!"}], "aggregation": {"minSources": 1}}],
             "alerts": {"webhooks": [{"id": "w", "url": "http://127.0.0.1:9/hook", "format": "standard"}]}}
            """
        )
        #expect(found.contains { $0.hasPrefix("markets[0].sources[0].tokenEnv:") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("alerts.webhooks[0].secretEnv: missing") }, "\(found)")
    }

    /// Messages quote the file and the environment: control characters in them are escaped,
    /// so a config cannot write escape sequences to the terminal or break a message's line.
    @Test func controlCharactersInMessagesAreEscaped() throws {
        let found = issues(
            #"{"markets": [{"id": "BTC\u001b[31mUSD", "sources": [{"id": "p\nq", "kind": "push", "tokenEnv": "T"}], "aggregation": {"minSources": 1}}], "a\u202eb": 1}"#
        )
        #expect(!found.isEmpty)
        for line in found {
            #expect(!line.unicodeScalars.contains { $0.isControlOrBidiOverride }, "\(line)")
        }
        #expect(found.contains { $0.contains("BTC\\u{1b}[31mUSD") }, "\(found)")
    }

    @Test func storagePathMustBeAFilePath() {
        let market =
            #""markets": [{"id": "A", "sources": [{"id": "p", "kind": "push", "tokenEnv": "T"}], "aggregation": {"minSources": 1}}]"#
        #expect(
            issues("{\"storage\": {\"path\": \"data/\\u0000x.sqlite\"}, \(market)}").contains {
                $0.hasPrefix("storage.path: contains a control character")
            }
        )
        #expect(
            issues("{\"storage\": {\"path\": \"\(FileManager.default.temporaryDirectory.path)\"}, \(market)}").contains
            { $0.contains("is a directory") }
        )
        #expect(
            issues("{\"storage\": {\"path\": \"\"}, \(market)}").contains {
                $0.hasPrefix("storage.path: must not be empty")
            }
        )
        #expect(issues("{\"storage\": {\"path\": \"data/x.sqlite\"}, \(market)}").isEmpty)
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("bw-dir-link-\(UUID().uuidString)")
            .path
        try? FileManager.default.createSymbolicLink(
            atPath: link,
            withDestinationPath: FileManager.default.temporaryDirectory.path
        )
        #expect(
            issues("{\"storage\": {\"path\": \"\(link)\"}, \(market)}").contains { $0.contains("is a directory") },
            "a symlink to a directory"
        )
    }

    @Test func retentionDaysIsAWholeNumberOfDaysWithADefault() throws {
        let market =
            #""markets": [{"id": "A", "sources": [{"id": "p", "kind": "push", "tokenEnv": "T"}], "aggregation": {"minSources": 1}}]"#
        #expect(try ConfigLoader.parse(Data("{\(market)}".utf8)).storage.retentionDays == 30)
        #expect(
            try ConfigLoader.parse(Data("{\"storage\": {\"retentionDays\": 7}, \(market)}".utf8)).storage.retentionDays
                == 7
        )
        for (value, problem) in [
            ("0", "out of range (expected 1...3650)"), ("3651", "out of range"), ("1.5", "expected a whole number"),
            ("-3", "out of range"), ("\"30\"", "expected a number"),
        ] {
            let found = issues("{\"storage\": {\"retentionDays\": \(value)}, \(market)}")
            #expect(
                found.contains { $0.hasPrefix("storage.retentionDays: ") && $0.contains(problem) },
                "\(value): \(found)"
            )
        }
    }
}
