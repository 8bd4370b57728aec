import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import Foundation
import Metrics
import MetricsTestKit
import Prometheus
import Testing

@testable import BreakwaterAlerts

/// What happens to a delivery after its attempt: redirects, unstorable outcomes, queues behind a
/// retry, attempts running out.
extension DeliveryTests {
    /// A 302 is not followed (following it would turn the POST into a GET without the body and
    /// count that as delivered): the attempt is retried and says where the redirect pointed.
    @Test func redirectsAreNotFollowed() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        await rx.setMode(.redirect(to: "/moved"))
        let rig = try Rig(
            hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")],
            policy: RetryPolicy(delays: [0.02], maxAttempts: 2, jitter: 0)
        )
        try await rig.halt()
        #expect(await eventually(10) { rig.count("h", "failed") == 1 })
        await rig.stop()
        await rx.stop()
        #expect(await rx.all.map(\.path) == ["/hook", "/hook"])
        #expect(rig.count("h", "delivered") == 0)
        let d = try #require(try rig.store.deliveries().first)
        #expect(d.lastError == "HTTP 302 redirect to /moved not followed: set the destination URL to the final address")
    }

    /// Storage that fails after a send (here the database file is deleted) must not make the
    /// worker send the same notification again and again: it waits until the outcome is stored.
    @Test func aSendWhoseOutcomeCannotBeStoredIsNotRepeated() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        let path = tempDBPath()
        var rig = try Rig(path: path, hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")], start: false)
        try await rig.halt()
        try FileManager.default.removeItem(atPath: path)
        rig.start()
        #expect(await eventually(10) { await rx.all.count >= 1 })
        try await Task.sleep(nanoseconds: 1_000_000_000)
        await rig.stop()
        await rx.stop()
        #expect(await rx.all.count == 1)
    }

    /// Notifications queued behind one that waits for its retry do not make the worker poll
    /// the outbox continuously: the next due time is the retry's.
    @Test func aQueueBehindARetryWaitsForIt() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        await rx.setMode(.status(503))
        let rig = try Rig(
            hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")],
            policy: RetryPolicy(delays: [60], maxAttempts: 3, jitter: 0)
        )
        try await rig.halt(at: Date().timeIntervalSince1970)
        #expect(await eventually(10) { rig.count("h", "retried") == 1 })
        try await rig.resume(at: Date().timeIntervalSince1970)
        try await Task.sleep(nanoseconds: 300_000_000)
        await rig.stop()
        await rx.stop()
        #expect(try rig.store.deliveries().count == 2)
        let next = try #require(try rig.store.nextDueTime(destination: "h"))
        #expect(next > Date().timeIntervalSince1970 + 50)
        #expect(await rx.all.count == 1)
    }

    @Test func attemptsRunOutThenFailed() async throws {
        let rx = Receiver(secret: testSecret)
        let port = try await rx.start()
        await rx.setMode(.status(503))
        let rig = try Rig(
            hooks: [hook("h", url: "http://127.0.0.1:\(port)/hook")],
            policy: RetryPolicy(delays: [0.02], maxAttempts: 3, jitter: 0)
        )
        try await rig.halt()
        #expect(await eventually(10) { rig.count("h", "failed") == 1 })
        await rig.stop()
        await rx.stop()
        #expect(await rx.all.count == 3)
        #expect(rig.count("h", "retried") == 2)
        #expect(try rig.store.deliveries().first?.status == .failed)
    }
}
