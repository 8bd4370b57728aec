import BreakwaterConfig
import BreakwaterStore
import BreakwaterTestSupport
import Foundation
import Logging
import MetricsTestKit
import Testing

@testable import BreakwaterAlerts
@testable import BreakwaterEngine

/// What the log says about alerts: one line per alert that fires or resolves (not per reminder),
/// and, at start-up with no destination, once that alerts are sent nowhere.
@Suite struct AlertLogTests {
    @Test func eachAlertFiresAndResolvesInOneLineWithTypeMarketSeverityAndSummary() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        let store = try RiskStateStore(path: tempDBPath())
        let c = try AlertCenter(
            store: store,
            config: alertsConfig([hook("h", url: "http://127.0.0.1:1/")], repeatSeconds: 60),
            logger: logger
        )
        let opened = try await c.process(
            events: [transition(from: .normal, to: .halted, reasons: [.velocity], at: 1000)],
            snapshots: [],
            now: 1000
        )
        // Still firing, another transition, then a reminder: no new line.
        try await c.process(
            events: [transition(from: .halted, to: .halted, reasons: [.velocity, .manual], at: 1010)],
            snapshots: [],
            now: 1010
        )
        try await c.process([], now: 1070)
        #expect(try store.deliveries().count == 2)
        try await c.process(
            events: [transition(from: .halted, to: .normal, reasons: [], at: 1100)],
            snapshots: [],
            now: 1100
        )
        let fired = log.lines("alert.firing")
        let resolved = log.lines("alert.resolved")
        #expect(fired.count == 1)
        #expect(resolved.count == 1)
        let f = try #require(fired.first)
        let a = try #require(opened.first)
        #expect(f.level == .warning)
        #expect(f.metadata["type"] == "breaker.halted")
        #expect(f.metadata["market"] == "BTC-USD")
        #expect(f.metadata["severity"] == "critical")
        #expect(f.metadata["summary"] == a.summary)
        #expect(f.metadata["alert"] == a.id)
        let r = try #require(resolved.first)
        #expect(r.metadata["alert"] == a.id)
        #expect(r.metadata["type"] == "breaker.halted")
        #expect(r.metadata["firedSeconds"] == "100.0")
        #expect(log.all.count == 2)
    }

    @Test func oneShotNotificationsAreOneLineEach() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        let c = try AlertCenter(
            store: try RiskStateStore(path: tempDBPath()),
            config: alertsConfig([], marginStep: 0.1),
            logger: logger
        )
        try await c.process(events: [], snapshots: [snapshot(margin: 0.05, at: 0)], now: 0)
        try await c.process(events: [], snapshots: [snapshot(margin: 0.06, at: 1)], now: 1)
        try await c.sendTest(now: 2, requestedBy: "ops")
        let lines = log.lines("alert.firing")
        #expect(lines.map { $0.metadata["type"] } == ["margin.changed", "test"])
        #expect(lines.allSatisfy { $0.metadata["oneShot"] == "true" && $0.level == .notice })
        #expect(lines.first?.metadata["summary"]?.contains("5% -> 6%") == true)
        #expect(log.lines("alert.resolved").isEmpty)
    }

    @Test func sourceDegradedIsLoggedWhenItOpensNotWhileHeld() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        var config = alertsConfig([])
        config.sourceDegradedForSeconds = 30
        let c = try AlertCenter(store: try RiskStateStore(path: tempDBPath()), config: config, logger: logger)
        try await c.process(events: [sourceEvent("kraken", from: .ok, to: .error, at: 100)], snapshots: [], now: 100)
        #expect(log.all.isEmpty)
        try await c.process([], now: 130)
        let line = try #require(log.lines("alert.firing").first)
        #expect(line.metadata["type"] == "source.degraded")
        #expect(line.metadata["source"] == "kraken")
    }

    func open(webhooks: String, logger: Logger) throws -> Alerting {
        let json = """
            {"server": {"port": 0}, "storage": {"path": "\(tempDBPath())"},
             "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}], "aggregation": {"minSources": 1}}],
             "alerts": {"webhooks": \(webhooks)}}
            """
        return try Alerting.open(
            config: ConfigLoader.parse(Data(json.utf8)),
            environment: [:],
            metrics: TestMetrics(),
            logger: logger
        )
    }

    @Test func startUpSaysOnceWhenAlertsGoNowhere() throws {
        let (logger, log) = RecordingLogHandler.logger()
        _ = try open(webhooks: "[]", logger: logger)
        let lines = log.all.filter { $0.message.contains("no alert destination configured") }
        #expect(lines.count == 1)
        #expect(lines.first?.message.contains("sent nowhere") == true)
        #expect(lines.first?.level == .notice)

        let (withHook, hookLog) = RecordingLogHandler.logger()
        _ = try open(
            webhooks: #"[{"id": "ops", "url": "http://127.0.0.1:9/", "format": "slack"}]"#,
            logger: withHook
        )
        #expect(!hookLog.all.contains { $0.message.contains("no alert destination") })
    }
}
