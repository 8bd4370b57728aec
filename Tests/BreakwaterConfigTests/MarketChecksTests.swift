import Foundation
import Testing

@testable import BreakwaterConfig

/// Checks across fields and markets, and that every issue points at the place to fix.
struct MarketChecksTests {
    let tests = ConfigTests()
    static let push = #"{"id": "p", "kind": "push", "tokenEnv": "T"}"#

    func market(_ id: String, _ extra: String = "", sources: String = push) -> String {
        #"{"id": "\#(id)", "sources": [\#(sources)], "aggregation": {"minSources": 1}\#(extra)}"#
    }

    @Test func pathsAreTheFilesPositions() {
        // The third market repeats the first's id: reported at markets[2], not markets[1].
        var found = tests.issues(#"{"markets": [\#(market("A")), \#(market("B")), \#(market("A"))]}"#)
        #expect(found.contains("markets[2].id: duplicate market id \"A\" (also markets[0])"), "\(found)")
        // A source that fails to read does not shift the positions of the ones after it.
        let sources = [
            #"{"id": "a", "kind": "nope"}"#, #"{"id": "b", "kind": "push", "tokenEnv": "T"}"#,
            #"{"id": "b", "kind": "push", "tokenEnv": "T"}"#,
            #"{"id": "c", "kind": "push", "tokenEnv": "U", "normalizeBy": "Z"}"#,
        ].joined(separator: ", ")
        found = tests.issues(#"{"markets": [\#(market("A", sources: sources))]}"#)
        #expect(found.contains("markets[0].sources[2].id: duplicate source id \"b\" in A"), "\(found)")
        #expect(found.contains { $0.hasPrefix("markets[0].sources[3].normalizeBy: unknown market \"Z\"") }, "\(found)")
        // Every problem in one run: the misspelled kind of the first "a" and the duplicate
        // id of the second (the first is not dropped before ids are compared).
        let misspelled = [
            #"{"id": "a", "kind": "krakn", "symbol": "XBTUSD"}"#, #"{"id": "a", "kind": "push", "tokenEnv": "T"}"#,
        ].joined(separator: ", ")
        found = tests.issues(#"{"markets": [\#(market("A", sources: misspelled))]}"#)
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.hasPrefix("markets[0].sources[0].kind: unknown kind \"krakn\"") }, "\(found)")
        #expect(found.contains("markets[0].sources[1].id: duplicate source id \"a\" in A"), "\(found)")
        // A market without a readable id is still a market others may normalize by.
        let normalized = #"{"id": "q", "kind": "push", "tokenEnv": "T", "normalizeBy": "U"}"#
        found = tests.issues(#"{"markets": [{"id": "U", "sources": {}}, \#(market("B", sources: normalized))]}"#)
        #expect(found == ["markets[0].sources: expected an array, found an object"], "\(found)")
    }

    @Test func aConflictInTheDefaultsIsReportedOnceThere() {
        let found = tests.issues(
            #"""
            {"defaults": {"breaker": {"maxDivergence": 0.001}, "margin": {"horizonSeconds": 1, "sampleSeconds": 10}},
             "markets": [\#(market("A")), \#(market("B")), \#(market("C", #", "breaker": {"maxDivergence": 0.002}"#))]}
            """#
        )
        #expect(found.filter { $0.hasPrefix("defaults.breaker.maxDivergence:") }.count == 1, "\(found)")
        #expect(
            found.contains { $0.hasPrefix("markets[2].breaker.maxDivergence: breaker.maxDivergence 0.002 is below") },
            "\(found)"
        )
        #expect(found.filter { $0.contains("horizonSeconds 1 is shorter") }.count == 1, "\(found)")
        #expect(!found.contains { $0.hasPrefix("markets[0]") || $0.hasPrefix("markets[1]") }, "\(found)")
    }

    @Test func nullIsNotAbsent() {
        let found = tests.issues(
            #"{"server": null, "markets": [\#(market("A", #", "breaker": {"velocity": null}"#))]}"#
        )
        #expect(found.contains { $0.hasPrefix("server: expected an object, found null") }, "\(found)")
        #expect(
            found.contains { $0.hasPrefix("markets[0].breaker.velocity: expected an object, found null") },
            "\(found)"
        )
        #expect(tests.issues("[]") == ["the document must be a JSON object, found an array"])
    }

    @Test func usdtVenuesEnterUSDMarketsOnlyNormalized() {
        let binance = #"{"id": "binance", "kind": "binance", "symbol": "BTCUSDT"}"#
        var found = tests.issues(#"{"markets": [\#(market("BTC-USD", sources: binance))]}"#)
        #expect(
            found.contains { $0.hasPrefix("markets[0].sources[0].normalizeBy: missing: BTCUSDT is quoted in USDT") },
            "\(found)"
        )
        // In a USDT market the same source is at home.
        found = tests.issues(#"{"markets": [\#(market("BTC-USDT", sources: binance))]}"#)
        #expect(found.isEmpty, "\(found)")
    }

    @Test func pollingMustKeepQuotesFresh() {
        let slow = #"{"id": "k", "kind": "kraken", "symbol": "XBTUSD", "intervalMs": 60000}"#
        var found = tests.issues(#"{"markets": [\#(market("A", sources: slow))]}"#)
        #expect(
            found.contains {
                $0.hasPrefix(
                    "markets[0].sources[0].intervalMs: 60000 is not shorter than the market's aggregation.maxAgeMs 30000"
                )
            },
            "\(found)"
        )
        // Polled exactly every max age, a quote is stale when the next is due (fresh means younger).
        let exact = #"{"id": "k", "kind": "kraken", "symbol": "XBTUSD", "intervalMs": 30000}"#
        found = tests.issues(#"{"markets": [\#(market("A", sources: exact))]}"#)
        #expect(
            found.contains { $0.hasPrefix("markets[0].sources[0].intervalMs: 30000 is not shorter than") },
            "\(found)"
        )
        found = tests.issues(#"{"server": {"tickMs": 60000}, "markets": [\#(market("A"))]}"#)
        #expect(
            found == [
                "server.tickMs: 60000 is longer than markets[0].aggregation.maxAgeMs 30000 (staleness would be noticed up to a tick late)"
            ],
            "\(found)"
        )
        found = tests.issues(
            #"{"markets": [\#(market("A", sources: #"{"id": "p", "kind": "push", "tokenEnv": "T", "intervalMs": 100}"#))]}"#
        )
        #expect(
            found.contains { $0.hasPrefix("markets[0].sources[0].intervalMs: push sources are not polled") },
            "\(found)"
        )
    }

    @Test func longNormalizeChainsAndBigLists() {
        // 2,000 markets normalized in a chain that closes into one cycle: reported once, at the
        // source that closes it; and an unknown normalizer lists a few ids, not all of them.
        let n = 2_000
        let chain = (0..<n).map { i in
            market(
                "M\(i)",
                sources: #"{"id": "p", "kind": "push", "tokenEnv": "T", "normalizeBy": "M\#((i + 1) % n)"}"#
            )
        }
        var found = tests.issues(#"{"markets": [\#(chain.joined(separator: ","))]}"#)
        #expect(
            found.count == 1
                && found[0].hasPrefix("markets[1999].sources[0].normalizeBy: normalizeBy forms a cycle: M0 -> M1 -> "),
            "\(found.prefix(3))"
        )
        let unknown = (0..<n).map { i in
            market("M\(i)", sources: #"{"id": "p", "kind": "push", "tokenEnv": "T", "normalizeBy": "X"}"#)
        }
        found = tests.issues(#"{"markets": [\#(unknown.joined(separator: ","))]}"#)
        #expect(found.count == n && found.allSatisfy { $0.count < 300 }, "\(found.first ?? "")")
        #expect(found[0].hasSuffix(#""M7", ... (2000 markets))"#), "\(found[0])")
    }

    @Test func hostsAndURLsCarryNoSurprises() {
        var found = tests.issues(#"{"server": {"host": "not a host!!"}, "markets": [\#(market("A"))]}"#)
        #expect(found.contains { $0.hasPrefix("server.host: \"not a host!!\" is not a host") }, "\(found)")
        let json = Data(#"{"markets": [\#(market("A"))]}"#.utf8)
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(json, environment: ["BREAKWATER_HOST": "bad host"]) }
        #expect((try? ConfigLoader.parse(json, environment: ["BREAKWATER_HOST": "::1"]))?.server.host == "::1")
        found = tests.issues(
            #"""
            {"markets": [\#(market("A"))], "alerts": {"webhooks": [
              {"id": "s", "url": "https://hooks.slack.com/services/T0/B0/XYZ", "format": "slack"},
              {"id": "u", "url": "https://user:pw@am.example/api", "format": "alertmanager"}]}}
            """#
        )
        #expect(found.contains { $0.hasPrefix("alerts.webhooks[0].url: a Slack webhook URL is a secret") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("alerts.webhooks[1].url: the URL holds credentials") }, "\(found)")
        #expect(!found.joined().contains("pw@"), "a credential was echoed: \(found)")
        found = tests.issues(
            #"""
            {"markets": [\#(market("A"))], "alerts": {"webhooks": [
              {"id": "s", "url": "https://HOOKS.SLACK.COM./services/T0/B0/XYZ", "format": "slack"},
              {"id": "s2", "urlEnv": "SLACK_URL", "format": "slack", "secretEnv": "HOOK_SECRET"},
              {"id": "am", "url": "http://127.0.0.1:9093", "format": "alertmanager", "routingKeyEnv": "PD"},
              {"id": "a\nb", "url": "http://127.0.0.1:9", "format": "slack"}]}}
            """#
        )
        #expect(found.contains { $0.hasPrefix("alerts.webhooks[0].url: a Slack webhook URL is a secret") }, "\(found)")
        #expect(
            found.contains("alerts.webhooks[1].secretEnv: only standard webhooks are signed (this one is slack)"),
            "\(found)"
        )
        #expect(
            found.contains(
                "alerts.webhooks[2].routingKeyEnv: only pagerduty destinations take a routing key (this one is alertmanager)"
            ),
            "\(found)"
        )
        #expect(
            found.contains { $0.hasPrefix("alerts.webhooks[3].id: ") && $0.contains("may contain only letters") },
            "\(found)"
        )
        let long = String(repeating: "X", count: 65)
        found = tests.issues(#"{"markets": [\#(market(long))]}"#)
        #expect(found.contains("markets[0].id: an id of at most 64 characters (this one has 65)"), "\(found)")
    }

    @Test func secretURLsComeFromTheEnvironment() throws {
        let json = Data(
            #"""
            {"markets": [\#(market("A"))], "alerts": {"webhooks": [{"id": "s", "urlEnv": "SLACK_URL", "format": "slack"}]}}
            """#.utf8
        )
        // The line break a secret file leaves is not part of the URL.
        let c = try ConfigLoader.parse(json, environment: ["SLACK_URL": "https://hooks.slack.com/services/T0/B0/XYZ\n"])
        #expect(c.alerts.webhooks.first?.url == "https://hooks.slack.com/services/T0/B0/XYZ")
        // Unset, it is reported where the URL is used (as other secrets are), so a
        // configuration can be checked without its secrets.
        let unset = try ConfigLoader.parse(json, environment: [:])
        #expect(unset.alerts.webhooks.first?.url == "" && unset.alerts.webhooks.first?.urlEnv == "SLACK_URL")
        do {
            _ = try ConfigLoader.parse(json, environment: ["SLACK_URL": "secret-but-not-a-url"])
            Issue.record("a bad URL was accepted")
        } catch let e as ConfigError {
            #expect(!e.description.contains("secret-but-not-a-url"))
        }
    }

    @Test func fileProblemsReadPlainly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (path, reason) in [
            (dir.path, "it is a directory"), (dir.appendingPathComponent("none.json").path, "no such file"),
        ] {
            do {
                _ = try ConfigLoader.load(path: path)
                Issue.record("\(path) loaded")
            } catch let e as ConfigError {
                #expect(
                    e.description == "cannot read \(path): \(reason)"
                        || e.description.hasPrefix("cannot read \(path): \(reason)")
                )
            }
        }
    }
}
