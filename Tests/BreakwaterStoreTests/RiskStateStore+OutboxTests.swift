import BreakwaterEngine
import BreakwaterStore
import Testing

/// The delivery outbox: attempts, order per fingerprint.
@Suite struct RiskStateStoreOutboxTests {
    @Test(arguments: StoreBackendKind.allCases) func attemptsAreRecordedWithTheDelivery(
        _ backend: StoreBackendKind
    ) async throws {
        let store = try await freshStore(backend)
        let d = DeliveryRecord(
            id: "msg_1",
            alertId: "a1",
            fingerprint: "f",
            destination: "hook",
            format: "standard",
            body: Array("{}".utf8),
            createdAt: 100
        )
        try store.record(AlertBatch(alerts: [alert("a1", fp: "f", at: 100)], deliveries: [d]))
        #expect(try store.dueDeliveries(destination: "hook", now: 100).map(\.id) == ["msg_1"])
        try store.recordAttempt(
            DeliveryAttempt(
                deliveryId: "msg_1",
                attempt: 1,
                time: 100,
                statusCode: 500,
                error: nil,
                durationMs: 3
            ),
            outcome: .retry(at: 105)
        )
        #expect(try store.dueDeliveries(destination: "hook", now: 104).isEmpty)
        #expect(try store.dueDeliveries(destination: "hook", now: 105).count == 1)
        try store.recordAttempt(
            DeliveryAttempt(
                deliveryId: "msg_1",
                attempt: 2,
                time: 105,
                statusCode: 204,
                error: nil,
                durationMs: 2
            ),
            outcome: .delivered
        )
        let detail = try #require(try store.alert(id: "a1"))
        #expect(detail.notifications.count == 1)
        #expect(detail.notifications[0].delivery.status == .delivered)
        #expect(detail.notifications[0].delivery.attempts == 2)
        #expect(detail.notifications[0].attempts.map(\.statusCode) == [500, 204])
        #expect(detail.notifications[0].delivery.body == Array("{}".utf8))
    }

    @Test(arguments: StoreBackendKind.allCases) func laterNotificationWaitsForEarlierOneOfSameFingerprint(
        _ backend: StoreBackendKind
    ) async throws {
        let store = try await freshStore(backend)
        let d1 = DeliveryRecord(
            id: "m1",
            alertId: "a1",
            fingerprint: "f",
            destination: "h",
            format: "slack",
            body: [],
            createdAt: 1
        )
        let d2 = DeliveryRecord(
            id: "m2",
            alertId: "a1",
            fingerprint: "f",
            destination: "h",
            format: "slack",
            body: [],
            createdAt: 2
        )
        let d3 = DeliveryRecord(
            id: "m3",
            alertId: "a2",
            fingerprint: "g",
            destination: "h",
            format: "slack",
            body: [],
            createdAt: 2
        )
        try store.record(AlertBatch(alerts: [alert("a1", fp: "f", at: 1)], deliveries: [d1, d2]))
        try store.record(AlertBatch(alerts: [alert("a2", fp: "g", at: 2)], deliveries: [d3]))
        try store.recordAttempt(
            DeliveryAttempt(
                deliveryId: "m1",
                attempt: 1,
                time: 2,
                statusCode: nil,
                error: "refused",
                durationMs: 1
            ),
            outcome: .retry(at: 50)
        )
        #expect(try store.dueDeliveries(destination: "h", now: 10).map(\.id) == ["m3"])
        #expect(try store.dueDeliveries(destination: "h", now: 50).map(\.id) == ["m1", "m3"])
    }
}

/// The status page's delivery state: the latest attempt per destination.
@Suite struct RiskStateStoreLastAttemptTests {
    @Test(arguments: StoreBackendKind.allCases) func lastAttemptsAreTheLatestPerDestination(
        _ backend: StoreBackendKind
    ) async throws {
        let store = try await freshStore(backend)
        #expect(try store.lastAttempts().isEmpty)
        func delivery(_ id: String, to destination: String) -> DeliveryRecord {
            DeliveryRecord(
                id: id,
                alertId: "a1",
                fingerprint: "f-\(destination)",
                destination: destination,
                format: "standard",
                body: [],
                createdAt: 100
            )
        }
        try store.record(
            AlertBatch(
                alerts: [alert("a1", fp: "f", at: 100)],
                deliveries: [delivery("m1", to: "good"), delivery("m2", to: "bad")]
            )
        )
        // good: a 500, then a 204 (latest); bad: a 204, then no answer at all (latest).
        for (id, time, code, error) in [
            ("m1", 100.0, 500, nil), ("m2", 101.0, 204, nil), ("m1", 105.0, 204, nil),
            ("m2", 110.0, nil, "connection refused"),
        ] as [(String, Double, Int?, String?)] {
            try store.recordAttempt(
                DeliveryAttempt(deliveryId: id, attempt: 1, time: time, statusCode: code, error: error, durationMs: 1),
                outcome: .retry(at: time + 1)
            )
        }
        let last = try store.lastAttempts()
        #expect(last["good"] == LastAttempt(time: 105, statusCode: 204, error: nil))
        #expect(last["good"]?.succeeded == true)
        #expect(last["bad"] == LastAttempt(time: 110, statusCode: nil, error: "connection refused"))
        #expect(last["bad"]?.succeeded == false)
        #expect(LastAttempt(time: 1, statusCode: 503, error: nil).succeeded == false)
    }
}
