import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterWire
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BreakwaterServer

/// The status page's text: explanations for every code it can show, what it reads, nothing external.
/// Its rendering in a real browser is scripts/status-page-check.sh.
@Suite struct StatusPageTests {
    @Test func everyStateReasonActionAndSourceStatusIsExplained() {
        let keys = Set(StatusPageGlossary.entries.map(\.key))
        #expect(keys.count == StatusPageGlossary.entries.count, "a key written twice")
        var wanted = BreakerState.allCases.map { "state:\($0.rawValue)" }
        wanted += ReasonCode.allCases.map { "reason:\($0.rawValue)" }
        wanted += [TradingAction.open, .reduceOnly, .halted].map { "trading:\($0.rawValue)" }
        wanted += [LiquidationAction.enabled, .staged, .paused].map { "liquidations:\($0.rawValue)" }
        wanted += SourceStatus.allCases.map { "source:\($0.rawValue)" }
        wanted.append("margin:atRiseBound")
        wanted += (BaselZone.allCases.map(\.rawValue) + ["unrated"]).map { "model:\($0)" }
        for key in wanted { #expect(keys.contains(key), "no explanation for \(key)") }
        for (key, text) in StatusPageGlossary.entries {
            #expect(!text.contains("<"), "\(key) could close the script element")
        }
    }

    @Test func thePageReadsAlertsDestinationsAndHistoryAndLoadsNothingExternal() {
        let page = StatusPage.html(notice: nil)
        for path in [
            "'v1/markets'", "'v1/health'", "v1/alerts?status=firing", "v1/alerts?status=resolved",
            "'v1/destinations'", "/history'",
        ] {
            #expect(page.contains(path), "\(path)")
        }
        #expect(page.contains("const GLOSSARY={"))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("@import"))
        #expect(!page.contains("\\(") && !page.contains("\\#("), "an interpolation left in the text")
    }

    @Test func theNoticeIsEscaped() {
        let page = StatusPage.html(notice: "DEMO: <b>synthetic</b>")
        #expect(page.contains(#"<div id="notice" class="banner">DEMO: &lt;b&gt;synthetic&lt;/b&gt;</div>"#))
    }
}

/// `GET /v1/markets/{id}/history` rows and `GET /v1/destinations` items.
@Suite struct StatusPageDocumentTests {
    @Test func historyRowsCarryTheBandTheTargetAndTheState() throws {
        let samples = [
            HistorySample(
                time: 0,
                price: nil,
                maintenance: 0.01,
                target: 0.01,
                reference: nil,
                bandHalfWidth: 0.1,
                state: .limit
            ),
            HistorySample(
                time: 1,
                price: 100,
                maintenance: 0.01,
                target: 0.5,
                reference: 100,
                bandHalfWidth: 0.1,
                state: .halted
            ),
        ]
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(WireJSON.encode(HistoryDocument(id: "X", points: samples))))
                as? [String: Any]
        )
        #expect(json["columns"] as? [String] == HistoryDocument.columns)
        let rows = try #require(json["points"] as? [[Any]])
        #expect(rows.count == 2)
        #expect(rows[0][0] as? String == "1970-01-01T00:00:00.000Z")
        #expect(rows[0][1] is NSNull && rows[0][4] is NSNull && rows[0][5] is NSNull && rows[0][6] is NSNull)
        #expect(rows[0][7] as? String == "limit")
        let halted = rows[1].dropFirst().dropLast().map { ($0 as? Double) ?? .nan }
        let expected = [100, 0.01, 0.5, 100, 90, 110]
        for (v, e) in zip(halted, expected) { #expect(abs(v - e) < 1e-9, "\(halted)") }
        #expect(rows[1][7] as? String == "halted")
    }

    @Test func aDestinationIsFailingWhenItsLatestAttemptDidNotDeliver() throws {
        let config = try ConfigLoader.parse(
            Data(
                #"""
                {"markets": [{"id": "X", "aggregation": {"minSources": 1},
                  "sources": [{"id": "a", "kind": "push", "tokenEnv": "T"}]}],
                 "alerts": {"webhooks": [{"id": "ok", "url": "http://127.0.0.1:9/", "format": "slack"},
                   {"id": "down", "url": "http://127.0.0.1:9/", "format": "alertmanager"},
                   {"id": "idle", "url": "http://127.0.0.1:9/", "format": "slack"}]}}
                """#.utf8
            )
        )
        let hooks = config.alerts.webhooks
        let doc = DestinationsDocument(
            webhooks: hooks,
            counts: ["ok": [.delivered: 2], "down": [.pending: 1, .failed: 3]],
            last: [
                "ok": LastAttempt(time: 10, statusCode: 204, error: nil),
                "down": LastAttempt(time: 20, statusCode: nil, error: "connection refused"),
            ]
        )
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(WireJSON.encode(doc))) as? [String: [[String: Any]]]
        )
        let list = try #require(json["destinations"])
        #expect(list.map { $0["id"] as? String } == ["ok", "down", "idle"])
        #expect(list.map { $0["failing"] as? Bool } == [false, true, false])
        #expect(list.map { $0["format"] as? String } == ["slack", "alertmanager", "slack"])
        #expect(list.map { $0["pending"] as? Int } == [0, 1, 0])
        #expect(list.map { $0["delivered"] as? Int } == [2, 0, 0])
        #expect(list.map { $0["failed"] as? Int } == [0, 3, 0])
        #expect(
            list.map { $0["lastAttemptAt"] as? String } == [
                "1970-01-01T00:00:10.000Z", "1970-01-01T00:00:20.000Z", nil,
            ]
        )
        #expect(list.map { $0["lastStatusCode"] as? Int } == [204, nil, nil])
        #expect(list.map { $0["lastError"] as? String } == [nil, "connection refused", nil])
        #expect(list[2]["lastAttemptAt"] is NSNull, "null, not left out")
    }

    @Test func theDestinationsRouteListsTheConfiguredOnes() async throws {
        let server = try await RouteTests().makeServer()  // no destination configured
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: "/v1/destinations", method: .get) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body) == #"{"destinations":[]}"#)
            }
        }
    }
}
