import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import Foundation
import Metrics
import MetricsTestKit
import Prometheus
import Testing

@testable import BreakwaterAlerts

/// End-to-end delivery against a real receiver on 127.0.0.1.
@Suite(.serialized) struct DeliveryTests {
    struct Rig {
        let store: RiskStateStore
        let center: AlertCenter
        let worker: DeliveryWorker
        /// Where the worker records its delivery counters (unless given another factory).
        let metrics = TestMetrics()
        var task: Task<Void, any Error>?

        init(
            path: String = tempDBPath(),
            hooks: [WebhookConfig],
            policy: RetryPolicy = fastPolicy,
            start: Bool = true,
            factory: (any MetricsFactory)? = nil
        ) throws {
            store = try RiskStateStore(path: path)
            let config = alertsConfig(hooks)
            let worker = DeliveryWorker(
                store: store,
                config: config,
                environment: testEnv,
                policy: policy,
                pollInterval: 0.05,
                metrics: factory ?? metrics
            )
            self.worker = worker
            center = try AlertCenter(store: store, config: config, onEnqueue: { worker.wake() })
            if start { self.start() }
        }

        mutating func start() {
            let w = worker
            task = Task { try await w.run() }
        }

        /// Outcomes counted for `destination` with `result` (delivered, failed, retried).
        func count(_ destination: String, _ result: String) -> Int64 { deliveries(metrics, destination, result) }

        func stop() async {
            task?.cancel()
            _ = try? await task?.value
        }

        func halt(_ market: String = "BTC-USD", at t: Double = 1000) async throws {
            try await center.process(
                events: [transition(market, from: .normal, to: .halted, reasons: [.velocity], at: t)],
                snapshots: [],
                now: t
            )
        }

        func resume(_ market: String = "BTC-USD", at t: Double = 1001) async throws {
            try await center.process(
                events: [transition(market, from: .halted, to: .normal, reasons: [], at: t)],
                snapshots: [],
                now: t
            )
        }
    }

    /// Through a real Prometheus registry: a destination's three series are there from the start
    /// at 0, and a delivery adds one to `delivered`.
    @Test func aDeliveryIncrementsTheCounterInAPrometheusRegistry() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        let registry = PrometheusCollectorRegistry()
        let rig = try Rig(
            hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")],
            factory: PrometheusMetricsFactory(registry: registry)
        )
        let series: @Sendable (String) -> String = {
            #"breakwater_alert_deliveries_total{destination="h",result="\#($0)"}"#
        }
        for r in ["delivered", "failed", "retried"] {
            #expect(registry.emitToString().contains("\(series(r)) 0\n"), "\(r)")
        }
        try await rig.halt()
        #expect(
            await eventually(10) { registry.emitToString().contains("\(series("delivered")) 1\n") },
            "\(registry.emitToString())"
        )
        await rig.stop()
        await rx.stop()
        #expect(registry.emitToString().contains("\(series("failed")) 0\n"))
        #expect(registry.emitToString().contains("\(series("retried")) 0\n"))
    }

    @Test func signedDeliveryReachesReceiver() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        let rig = try Rig(hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")])
        try await rig.halt()
        try await rig.resume()
        #expect(await eventually { await rx.accepted.count == 2 })
        // The worker records each result after the receiver answered: wait for the records.
        let store = rig.store
        #expect(try await eventually(10) { try store.deliveries().allSatisfy { $0.status == .delivered } })
        await rig.stop()
        await rx.stop()
        let got = await rx.accepted
        #expect(got.allSatisfy { $0.signatureValid })
        #expect(got.map(\.id) == (try rig.store.deliveries().map(\.id)))
        #expect(got.map { $0.data?["status"] as? String } == ["firing", "resolved"])
        #expect(got.map { $0.body } == (try rig.store.deliveries().map(\.body)))
        #expect(rig.count("h", "delivered") == 2)
        #expect(try rig.store.deliveries().allSatisfy { $0.status == .delivered })
        // A success is no error (it showed "HTTP 204" as the last error).
        #expect(try rig.store.deliveries().allSatisfy { $0.lastError == nil })
    }

    @Test func receiverDownThenUpDeliversAllInOrder() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        await rx.stop()
        let policy = RetryPolicy(delays: [0.05, 0.1, 0.2], maxAttempts: 100, jitter: 0.2)
        let rig = try Rig(hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")], policy: policy)
        try await rig.halt("BTC-USD", at: 1000)
        try await rig.halt("ETH-USD", at: 1000)
        try await rig.resume("BTC-USD", at: 1001)
        // Each refused connection can cost a full request timeout, so allow time under load.
        #expect(await eventually(20) { rig.count("h", "retried") >= 3 })
        #expect(await rx.all.isEmpty)
        _ = try await rx.start(port: port)
        #expect(await eventually(20) { await rx.accepted.count == 3 })
        await rig.stop()
        await rx.stop()
        let got = await rx.accepted
        let btc = got.compactMap { $0.data }.filter { $0["market"] as? String == "BTC-USD" }.map {
            $0["status"] as? String
        }
        #expect(btc == ["firing", "resolved"])
        #expect(Set(got.compactMap(\.id)) == Set(try rig.store.deliveries().map(\.id)))
        #expect(got.allSatisfy { $0.signatureValid })
    }

    @Test func serverErrorIsRetriedUntilItWorks() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        await rx.setMode(.status(500))
        let rig = try Rig(hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")])
        try await rig.halt()
        #expect(await eventually(10) { await rx.all.count >= 3 })
        await rx.setMode(.ok)
        #expect(await eventually(10) { await rx.accepted.count == 1 })
        let store = rig.store
        #expect(try await eventually(10) { try store.deliveries().first?.status == .delivered })
        await rig.stop()
        await rx.stop()
        let all = await rx.all
        #expect(Set(all.compactMap(\.id)).count == 1, "every retry keeps its webhook-id")
        #expect(Set(all.map(\.body)).count == 1, "every retry has the same body")
        let d = try #require(try rig.store.deliveries().first)
        let detail = try #require(try rig.store.alert(id: d.alertId))
        let codes = detail.notifications[0].attempts.map(\.statusCode)
        #expect(codes.first == 500)
        #expect(codes.last == 204)
        #expect(detail.notifications[0].delivery.status == .delivered)
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        await rx.setMode(.retryAfter(1))
        let rig = try Rig(hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")])
        try await rig.halt()
        #expect(await eventually(10) { await rx.all.count >= 1 })
        await rx.setMode(.ok)
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(await rx.all.count == 1, "no retry before Retry-After")
        #expect(await eventually(10) { await rx.accepted.count == 1 })
        // The worker records the attempt after the receiver answered: wait for the record.
        let store = rig.store
        #expect(try await eventually(10) { try store.deliveries().first?.status == .delivered })
        await rig.stop()
        await rx.stop()
        let d = try #require(try rig.store.deliveries().first)
        let attempts = try #require(try rig.store.alert(id: d.alertId)).notifications[0].attempts
        #expect(attempts.map(\.statusCode) == [429, 204])
        try #require(attempts.count == 2)
        #expect(attempts[1].time - attempts[0].time >= 0.99)
    }

    @Test func hangingDestinationDoesNotSlowOthers() async throws {
        let slow = Receiver(secret: testSecret)
        let fast = Receiver(secret: testSecret)
        let slowPort = try await slow.start()
        let fastPort = try await fast.start()
        await slow.setMode(.hang(seconds: 1.5))
        let rig = try Rig(hooks: [
            hook("slow", url: "http://127.0.0.1:\(slowPort)/hook", timeoutMs: 200),
            hook("fast", url: "http://127.0.0.1:\(fastPort)/hook"),
        ])
        let started = Date()
        try await rig.halt()
        try await rig.halt("ETH-USD")
        #expect(await eventually(3) { await fast.accepted.count == 2 })
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(await eventually(10) { rig.count("slow", "retried") >= 1 })
        await rig.stop()
        await slow.stop()
        await fast.stop()
        let attempt = try #require(try rig.store.deliveries(destination: "slow").first)
        #expect(attempt.status == .pending)
        #expect(attempt.lastError != nil)
    }

    /// A receiver that sends its headers and 10 of 100 body bytes then stalls: the attempt ends
    /// at `timeoutMs` as a failed attempt (the client's own deadline stops at the headers), is
    /// retried, and the notifications queued behind it go out once the receiver answers.
    @Test func aBodyThatStallsEndsTheAttemptAtTimeoutMs() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        await rx.setMode(.stallBody(sent: 10, total: 100))
        let rig = try Rig(
            hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook", timeoutMs: 300)],
            policy: RetryPolicy(delays: [0.5], maxAttempts: 3, jitter: 0)
        )
        try await rig.halt()
        #expect(await eventually(10) { rig.count("h", "retried") == 1 })
        await rx.setMode(.ok)
        try await rig.halt("ETH-USD")
        try await rig.halt("SOL-USD")
        let store = rig.store
        #expect(
            try await eventually(10) {
                try store.deliveries().count == 3 && store.deliveries().allSatisfy { $0.status == .delivered }
            }
        )
        await rig.stop()
        await rx.stop()
        let first = try #require(try store.deliveries().first)
        let attempts = try #require(try store.alert(id: first.alertId)).notifications[0].attempts
        try #require(attempts.count == 2)
        #expect(attempts[0].statusCode == nil)
        #expect(attempts[0].error == "no complete answer within timeoutMs (300 ms)")
        // 300 ms and a slack for a loaded machine; without the whole-attempt deadline it lasts
        // until the receiver stops (60 s).
        #expect(attempts[0].durationMs >= 290 && attempts[0].durationMs < 1300, "\(attempts[0].durationMs) ms")
        #expect(attempts[1].statusCode == 204)
    }

    /// While destination A stalls in the middle of its answer, B's notification is delivered.
    @Test func aStalledDestinationDoesNotHoldAnother() async throws {
        let a = Receiver(secret: testSecret)
        let b = Receiver(secret: testSecret)
        let aPort = try await a.start()
        let bPort = try await b.start()
        await a.setMode(.stallBody(sent: 10, total: 100))
        let rig = try Rig(hooks: [
            hook("a", url: "http://127.0.0.1:\(aPort)/hook", timeoutMs: 5000),
            hook("b", url: "http://127.0.0.1:\(bPort)/hook"),
        ])
        try await rig.halt()
        #expect(await eventually(5) { await a.all.count == 1 })
        let store = rig.store
        #expect(try await eventually(3) { try store.deliveries(destination: "b").first?.status == .delivered })
        // A is still in its attempt: nothing recorded for it yet.
        #expect(try store.deliveries(destination: "a").first?.attempts == 0)
        #expect(["delivered", "failed", "retried"].allSatisfy { rig.count("a", $0) == 0 })
        await rig.stop()
        await a.stop()
        await b.stop()
    }

    @Test func clientErrorStopsRetrying() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        await rx.setMode(.status(400))
        let rig = try Rig(hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")])
        try await rig.halt()
        #expect(await eventually(10) { rig.count("h", "failed") == 1 })
        try await Task.sleep(nanoseconds: 300_000_000)
        await rig.stop()
        await rx.stop()
        #expect(await rx.all.count == 1)
        let d = try #require(try rig.store.deliveries().first)
        #expect(d.status == .failed)
        #expect(d.attempts == 1)
        #expect(d.lastError?.contains("400") == true)
    }

    /// A configuration problem (an unset URL variable) is retried like a failed attempt: fixed
    /// and restarted within the retry schedule, the notification still goes out.
    @Test func anUnsetURLVariableIsReportedAndRetried() async throws {
        var h = hook("slack", url: "", format: .slack)
        h.urlEnv = "SLACK_URL"
        #expect(
            Destination(h).problems(environment: [:]) == ["alerts.webhooks slack: URL variable SLACK_URL is not set"]
        )
        let rig = try Rig(hooks: [h], policy: RetryPolicy(delays: [0.02], maxAttempts: 3, jitter: 0))
        try await rig.halt()
        #expect(await eventually(10) { rig.count("slack", "failed") == 1 })
        await rig.stop()
        #expect(rig.count("slack", "retried") == 2)
        let d = try #require(try rig.store.deliveries().first)
        #expect(d.status == .failed && d.attempts == 3 && d.lastError == "URL variable SLACK_URL is not set")
    }

    @Test func committedDeliveriesSurviveKillAndRestart() async throws {
        let path = tempDBPath()
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        let hooks = [hook("h", url: "http://127.0.0.1:\(port)/hook", timeoutMs: 5000)]
        var ids: [String] = []
        do {
            // First life: alerts committed, the receiver hangs, the process "dies" mid-delivery.
            await rx.setMode(.hang(seconds: 0.4))
            var rig = try Rig(path: path, hooks: hooks, start: false)
            try await rig.halt("BTC-USD")
            try await rig.halt("ETH-USD")
            try await rig.resume("BTC-USD")
            ids = try rig.store.deliveries().map(\.id)
            rig.start()
            #expect(await eventually(10) { await rx.all.count >= 1 })
            await rig.stop()
        }
        #expect(ids.count == 3)
        await rx.setMode(.ok)
        let rig = try Rig(path: path, hooks: hooks)
        #expect(await eventually(15) { Set(await rx.accepted.compactMap(\.id)).count == 3 })
        let store = rig.store
        #expect(try await eventually(10) { try store.deliveries().allSatisfy { $0.status == .delivered } })
        await rig.stop()
        await rx.stop()
        let seen = await rx.all.compactMap(\.id)
        #expect(Set(seen) == Set(ids), "only the committed webhook-ids, never new ones")
        #expect(try rig.store.deliveries().allSatisfy { $0.status == .delivered })
        #expect(await rig.center.firingAlerts().map(\.market) == ["ETH-USD"])
        // The attempt cut short is in the history, without an answer, before the one that worked.
        let first = try #require(try rig.store.deliveries().first)
        let detail = try #require(try rig.store.alert(id: first.alertId))
        let history = try #require(detail.notifications.first { $0.delivery.id == first.id }).attempts
        #expect(history.map(\.attempt) == [1, 2])
        #expect(history.first?.statusCode == nil && history.first?.error == RiskStateStore.interruptedAttemptError)
        #expect(history.last?.statusCode == 204 && history.last?.error == nil)
        #expect(first.attempts == 2)
    }
}
