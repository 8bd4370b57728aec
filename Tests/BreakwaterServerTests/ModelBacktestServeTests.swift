import BreakwaterAlerts
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import Prometheus
import Testing

@testable import BreakwaterServer

/// The live backtest in `serve`: fed by the tick, shown in the market's `model` block and in
/// `/metrics`, stored so a restart keeps the counts, and the `model.breach` alert.
@Suite struct ModelBacktestServeTests {
    static let config = """
        {"server": {"port": 0, "tickMs": 1000}, "storage": {"path": "STORAGE"},
         "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}],
           "aggregation": {"minSources": 1, "maxAgeMs": 30000},
           "margin": {"sampleSeconds": 10, "horizonSeconds": 10}}]}
        """
    static let t0: EpochSeconds = 1_800_000_000

    func server(path: String, clock: ManualClock) async throws -> BreakwaterServer {
        let cfg = try ConfigLoader.parse(Data(Self.config.replacingOccurrences(of: "STORAGE", with: path).utf8))
        let s = try BreakwaterServer(
            config: cfg,
            environment: ["TA": "token-of-source-a"],
            registry: PrometheusCollectorRegistry(),
            logger: Logger(label: "test"),
            clock: { clock.now }
        )
        try await s.connectAlerting()
        await s.monitor.tick(now: clock.now)
        return s
    }

    /// Steps k in `steps` (10 s apart from t0): pushes `price(k)` and ticks at that time.
    func run(_ s: BreakwaterServer, _ clock: ManualClock, _ steps: ClosedRange<Int>, price: (Int) -> Double) async {
        for k in steps {
            clock.now = Self.t0 + 10 * Double(k)
            _ = await s.monitor.ingestPush(
                source: "a",
                quotes: [PushQuote(market: "BTC-USD", price: price(k), time: clock.now)],
                now: clock.now
            )
            await s.monitor.tick(now: clock.now)
        }
    }

    func modelBreaches(_ s: BreakwaterServer) throws -> [AlertRecord] {
        try #require(s.alerting).store.listAlerts(type: "model.breach").alerts.sorted { $0.startsAt < $1.startsAt }
    }

    static func tempPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("bw-model-\(UUID().uuidString).sqlite").path
    }

    /// A fall of 1.5 % every 20th step against the 1 % floor: the long side turns yellow
    /// (warning), then red (critical, a new alert), the short side stays green; calm then
    /// brings both back to green and resolves it. The side and the figures are in the alert.
    /// (The market's first price comes within the grid step of the start-up tick: the first
    /// window opens at the next step.)
    @Test func breachOpensEscalatesAndResolves() async throws {
        let clock = ManualClock(Self.t0)
        let s = try await server(path: Self.tempPath(), clock: clock)
        var price = 100.0
        await run(s, clock, 0...60) { k in
            if k > 0 && k % 20 == 0 { price *= 0.985 }
            return price
        }
        let report = try #require(await s.monitor.modelReports["BTC-USD"])
        #expect(report[.long, .maintenance].last250.exceptions == 3)
        #expect(report[.long, .maintenance].last250.zone == .yellow)
        #expect(report[.short, .maintenance].last250.zone == .green)
        // One fall in the first 19 windows already reads yellow; 1 in 36 is green again; 2 in 39 yellow.
        var alerts = try modelBreaches(s)
        #expect(alerts.map(\.severity) == ["warning", "warning"] && alerts.map(\.status) == [.resolved, .firing])
        let data = try #require(alerts.first?.data)
        #expect(data.contains("\"side\":\"long\"") && data.contains("\"longExceptions\":1"), "\(data)")
        #expect(data.contains("\"longWindows\":19") && data.contains("\"shortExceptions\":0"), "\(data)")
        #expect(alerts.first?.summary.contains("1 exception in the last 19 windows") == true)
        await run(s, clock, 61...70) { k in
            if k % 2 == 0 { price *= 0.985 }
            return price
        }
        alerts = try modelBreaches(s)
        #expect(alerts.map(\.severity) == ["warning", "warning", "critical"], "\(alerts.map(\.summary))")
        #expect(alerts.map(\.status) == [.resolved, .resolved, .firing])
        // 250 calm windows later the falls have left the last 250: green on both sides.
        await run(s, clock, 71...330) { _ in price }
        alerts = try modelBreaches(s)
        // Red eased to yellow on the way without a new alert: the critical one lasted until green.
        #expect(alerts.map(\.status) == [.resolved, .resolved, .resolved], "\(alerts.map(\.summary))")
    }

    /// The finished windows are stored: a restart keeps every count (and the market shows them).
    @Test func restartKeepsTheCounts() async throws {
        let path = Self.tempPath()
        let clock = ManualClock(Self.t0)
        let first = try await server(path: path, clock: clock)
        var price = 100.0
        await run(first, clock, 0...40) { k in
            if k % 20 == 5 { price *= 0.985 }
            if k == 30 { price *= 1.02 }
            return price
        }
        // An outage longer than the max age: the window open across it is skipped.
        clock.now = Self.t0 + 10 * 40 + 45
        await first.monitor.tick(now: clock.now)
        let before = try #require(await first.monitor.modelReports["BTC-USD"])
        #expect(before.windows == 39 && before.skipped == 1)
        #expect(before[.long, .maintenance].wholeHistory.exceptions == 2)
        #expect(before[.short, .maintenance].wholeHistory.exceptions == 1)
        let second = try await server(path: path, clock: clock)
        let after = try #require(await second.monitor.modelReports["BTC-USD"])
        #expect(after == before)
        try await Application(router: second.router()).test(.router) { client in
            try await client.execute(uri: "/v1/markets/BTC-USD", method: .get) { r in
                let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                let model = try #require(json["model"] as? [String: Any], "\(json)")
                let long = try #require(model["long"] as? [String: Any])
                #expect(long["windows"] as? Int == 39 && long["skipped"] as? Int == 1, "\(model)")
                let maintenance = try #require(long["maintenance"] as? [String: Any])
                let whole = try #require(maintenance["wholeHistory"] as? [String: Any])
                #expect(whole["exceptions"] as? Int == 2 && whole["zone"] as? String == "yellow", "\(whole)")
                #expect(model["horizonSeconds"] as? Double == 10 && model["coverage"] as? Double == 0.99)
                // 1 - 0.99 is 0.010000000000000009 in floating point: written as the 1 % it means.
                #expect(model["exceptionProbability"] as? Double == 0.01, "\(model)")
                #expect((whole["expected"] as? Double).map { abs($0 - 0.39) < 1e-12 } == true)
            }
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(
                metrics.contains(
                    #"breakwater_model_exceptions{market="BTC-USD",side="long",margin="maintenance",span="whole"} 2.0"#
                ),
                "\(metrics)"
            )
            #expect(metrics.contains(#"breakwater_model_windows_skipped{market="BTC-USD"} 1.0"#))
            #expect(
                metrics.contains(
                    #"breakwater_model_zone{market="BTC-USD",side="short",margin="maintenance",span="last250",zone="green"} 1.0"#
                )
            )
            guard FileManager.default.isExecutableFile(atPath: MetricsRendererTests.promtool) else { return }
            let (status, output, _) = try await ChildProcess.run(
                URL(fileURLWithPath: MetricsRendererTests.promtool),
                ["check", "metrics"],
                input: .text(metrics),
                mergingErrors: true
            )
            #expect(status == 0 && output.isEmpty, "promtool: \(output)")
        }
    }
}
