import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Testing

/// Several replicas on one database: one lease holder at a time, one sender per delivery.
@Suite struct PostgresReplicaTests {
    func twoReplicas() async throws -> (RiskStateStore, RiskStateStore) {
        let url = try DatabaseURL(try await TestPostgres.shared().newDatabase())
        let logger = Logger(label: "test")
        return (try RiskStateStore(postgres: url, logger: logger), try RiskStateStore(postgres: url, logger: logger))
    }

    @Test func oneReplicaAtATimeHoldsTheLeaseAndAnotherTakesItWhenItLapses() async throws {
        let (a, b) = try await twoReplicas()
        #expect(a.replica != b.replica)
        for _ in 0..<2 {
            let began = ContinuousClock.now
            #expect(try a.holdLease("alerts", seconds: 2), "taken, then renewed")
            let refused = try !b.holdLease("alerts", seconds: 2)
            // (Only meaningful while a's grant lasts: a stalled machine may take longer.)
            if ContinuousClock.now - began < .seconds(2) { #expect(refused, "a holds it: b is refused") }
        }
        try await Task.sleep(for: .milliseconds(2200))
        #expect(try b.holdLease("alerts", seconds: 2), "not renewed for 2.2 s: taken over")
        #expect(try !a.holdLease("alerts", seconds: 2))
    }

    @Test func aDeliveryHasOneSenderAndADeadOnesClaimIsFinishedWithTheSameIdAndBody() async throws {
        let (a, b) = try await twoReplicas()
        let now = Date().timeIntervalSince1970
        let body = Array(#"{"type":"breaker.halted"}"#.utf8)
        let d = DeliveryRecord(
            id: "msg_1",
            alertId: "a1",
            fingerprint: "f",
            destination: "hook",
            format: "standard",
            body: body,
            createdAt: now
        )
        try a.record(AlertBatch(alerts: [alert("a1", fp: "f", at: now)], deliveries: [d]))
        let fetched = try #require(try a.dueDeliveries(destination: "hook", now: now).first)
        #expect(try a.claim(fetched, at: now, forSeconds: 3))
        #expect(try !b.claim(fetched, at: now + 0.1, forSeconds: 3), "claimed by a: b must not send it")
        if Date().timeIntervalSince1970 < now + 3 {
            #expect(try b.recordInterruptedAttempts().isEmpty, "a's send is within its claim: not interrupted")
        }
        // a dies mid-send; once its claim has expired, b records the attempt as interrupted...
        try await Task.sleep(for: .milliseconds(3100))
        let later = Date().timeIntervalSince1970
        #expect(try !b.claim(fetched, at: later, forSeconds: 0.5))
        let again = try #require(try b.dueDeliveries(destination: "hook", now: later).first)
        #expect(again.id == "msg_1" && again.body == body && again.attempts == 1)
        // ...then sends it again itself, with the same webhook-id and body.
        #expect(try b.claim(again, at: later, forSeconds: 0.5))
        try b.recordAttempt(
            DeliveryAttempt(deliveryId: "msg_1", attempt: 2, time: later, statusCode: 204, error: nil, durationMs: 3),
            outcome: .delivered
        )
        #expect(try !a.claim(again, at: later + 1, forSeconds: 0.5), "delivered: nobody sends it again")
        let detail = try #require(try a.alert(id: "a1"))
        #expect(detail.notifications[0].attempts.map(\.error) == [RiskStateStore.interruptedAttemptError, nil])
        #expect(detail.notifications[0].delivery.status == .delivered)
    }

    /// SQLite has one process: every claim and the lease are granted.
    @Test func sqliteGrantsEveryClaimAndTheLease() throws {
        let store = try RiskStateStore(path: tempDBPath())
        #expect(try store.holdLease("alerts", seconds: 1))
        let d = DeliveryRecord(
            id: "m",
            alertId: "a",
            fingerprint: "f",
            destination: "h",
            format: "standard",
            body: [],
            createdAt: 1
        )
        try store.record(AlertBatch(alerts: [alert("a", fp: "f", at: 1)], deliveries: [d]))
        #expect(try store.claim(d, at: 1, forSeconds: 1))
        #expect(try store.recordInterruptedAttempts() == ["m"])
    }
}

/// A replica's own save of a market's state never erases a manual halt another replica set.
@Suite struct SharedManualHaltStoreTests {
    @Test func savingAMarketStateKeepsTheSharedManualHalt() async throws {
        let url = try DatabaseURL(try await TestPostgres.shared().newDatabase())
        let (a, b) = (
            try RiskStateStore(postgres: url, logger: Logger(label: "a")),
            try RiskStateStore(postgres: url, logger: Logger(label: "b"))
        )
        let halt = ManualHalt(reason: "exploit", by: "alice", since: 100, until: 700)
        try a.saveManualHalt(market: "BTC-USD", halt: halt, at: 100)
        try b.saveMarketStates([MarketStateRecord(market: "BTC-USD", maintenanceMargin: 0.03, updatedAt: 101)])
        let saved = try #require(try a.loadMarketStates().first)
        #expect(saved.manual == halt && saved.maintenanceMargin == 0.03)
        try b.saveManualHalt(market: "BTC-USD", halt: nil, at: 102)
        #expect(try a.loadMarketStates().first?.manual == nil)
    }
}
