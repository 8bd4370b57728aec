import BreakwaterEngine
import BreakwaterStore
import Testing

/// Old history goes after storage.retentionDays; nothing still to send, nothing still firing.
struct StoreRetentionTests {
    func alert(_ id: String, status: AlertStatus, updatedAt: Double) -> AlertRecord {
        AlertRecord(
            id: id,
            fingerprint: "fp-\(id)",
            type: "breaker.halted",
            market: "BTC-USD",
            source: nil,
            severity: "critical",
            status: status,
            startsAt: updatedAt - 10,
            endsAt: status == .resolved ? updatedAt : nil,
            summary: "s",
            data: "{}",
            updatedAt: updatedAt
        )
    }

    func delivery(_ id: String, alert: String, at t: Double) -> DeliveryRecord {
        DeliveryRecord(
            id: id,
            alertId: alert,
            fingerprint: "fp-\(alert)",
            destination: "h",
            format: "standard",
            body: [1],
            createdAt: t
        )
    }

    func finish(_ store: RiskStateStore, _ id: String, at t: Double, _ outcome: AttemptOutcome = .delivered) throws {
        try store.recordAttempt(
            DeliveryAttempt(deliveryId: id, attempt: 1, time: t, statusCode: 204, error: nil, durationMs: 1),
            outcome: outcome
        )
    }

    @Test(arguments: StoreBackendKind.allCases) func pruningDeletesOnlyResolvedAlertsAndFinishedDeliveriesPastTheCutoff(
        _ backend: StoreBackendKind
    ) async throws {
        let store = try await freshStore(backend)
        let cutoff = 1_000_000.0
        let old = cutoff - 5000
        let recent = cutoff + 5000
        // Resolved long ago, delivered long ago: gone with its delivery and attempt.
        try store.record(
            AlertBatch(
                alerts: [alert("gone", status: .resolved, updatedAt: old)],
                deliveries: [delivery("m-gone", alert: "gone", at: old)]
            )
        )
        try finish(store, "m-gone", at: old + 1)
        // Resolved long ago, its delivery still pending (retrying): both kept.
        try store.record(
            AlertBatch(
                alerts: [alert("unsent", status: .resolved, updatedAt: old)],
                deliveries: [delivery("m-unsent", alert: "unsent", at: old)]
            )
        )
        try finish(store, "m-unsent", at: old + 1, .retry(at: recent))
        // Resolved long ago, delivery failed for good only recently: kept.
        try store.record(
            AlertBatch(
                alerts: [alert("late", status: .resolved, updatedAt: old)],
                deliveries: [delivery("m-late", alert: "late", at: old)]
            )
        )
        try finish(store, "m-late", at: recent, .failed)
        // Still firing since long ago: its old, delivered notification goes, the alert stays.
        try store.record(
            AlertBatch(
                alerts: [alert("firing", status: .firing, updatedAt: old)],
                deliveries: [delivery("m-firing", alert: "firing", at: old)]
            )
        )
        try finish(store, "m-firing", at: old + 1)
        // Resolved recently: kept.
        try store.record(
            AlertBatch(
                alerts: [alert("new", status: .resolved, updatedAt: recent)],
                deliveries: [delivery("m-new", alert: "new", at: recent)]
            )
        )
        try finish(store, "m-new", at: recent + 1)

        let result = try store.pruneBatch(before: cutoff)
        #expect(result == PruneResult(alerts: 1, deliveries: 2))
        #expect(try store.pruneBatch(before: cutoff) == PruneResult())
        #expect(try store.listAlerts(limit: 100).alerts.map(\.id).sorted() == ["firing", "late", "new", "unsent"])
        #expect(try store.deliveries().map(\.id) == ["m-unsent", "m-late", "m-new"])
        #expect(try store.alert(id: "gone") == nil)
        #expect(try store.alert(id: "firing")?.notifications.isEmpty == true)
        // The in-memory outbox counts followed the deletions.
        #expect(store.outboxCounts() == (try store.deliveryCounts()))
        #expect(store.outboxCounts()["h"] == [.pending: 1, .failed: 1, .delivered: 1])
    }

    @Test(arguments: StoreBackendKind.allCases) func pruningWorksInBatches(_ backend: StoreBackendKind) async throws {
        let store = try await freshStore(backend)
        for i in 0..<7 {
            try store.record(
                AlertBatch(
                    alerts: [alert("a\(i)", status: .resolved, updatedAt: 10)],
                    deliveries: [delivery("m\(i)", alert: "a\(i)", at: 10)]
                )
            )
            try finish(store, "m\(i)", at: 11)
        }
        #expect(try store.pruneBatch(before: 100, limit: 3) == PruneResult(alerts: 3, deliveries: 3))
        #expect(try store.pruneBatch(before: 100, limit: 3) == PruneResult(alerts: 3, deliveries: 3))
        #expect(try store.pruneBatch(before: 100, limit: 3) == PruneResult(alerts: 1, deliveries: 1))
        #expect(try store.pruneBatch(before: 100, limit: 3) == PruneResult())
    }
}
