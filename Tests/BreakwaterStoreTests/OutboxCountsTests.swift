import BreakwaterEngine
import BreakwaterStore
import Testing

/// `/metrics` reads the outbox counts from memory: no scan of the delivery table per scrape.
struct StoreOutboxCountTests {
    @Test(arguments: StoreBackendKind.allCases) func countsFollowEveryWriteAndAreSeededAtOpen(
        _ backend: StoreBackendKind
    ) async throws {
        let place = try await StorePlace.fresh(backend)
        do {
            let store = try place.open()
            let a = AlertRecord(
                id: "a",
                fingerprint: "f",
                type: "t",
                market: "m",
                source: nil,
                severity: "info",
                status: .firing,
                startsAt: 1,
                endsAt: nil,
                summary: "s",
                data: "{}",
                updatedAt: 1
            )
            let ds = (1...4).map {
                DeliveryRecord(
                    id: "m\($0)",
                    alertId: "a",
                    fingerprint: "f",
                    destination: $0 == 4 ? "other" : "h",
                    format: "standard",
                    body: [1],
                    createdAt: 1
                )
            }
            try store.record(AlertBatch(alerts: [a], deliveries: ds))
            #expect(store.outboxCounts() == ["h": [.pending: 3], "other": [.pending: 1]])
            let attempt = { (id: String) in
                DeliveryAttempt(deliveryId: id, attempt: 1, time: 2, statusCode: 500, error: nil, durationMs: 1)
            }
            try store.recordAttempt(attempt("m1"), outcome: .delivered)
            try store.recordAttempt(attempt("m2"), outcome: .failed)
            try store.recordAttempt(attempt("m3"), outcome: .retry(at: 9))
            #expect(store.outboxCounts() == ["h": [.pending: 1, .delivered: 1, .failed: 1], "other": [.pending: 1]])
            #expect(store.outboxCounts() == (try store.deliveryCounts()))
        }
        // A restart counts the table once.
        #expect(
            try place.open().outboxCounts() == [
                "h": [.pending: 1, .delivered: 1, .failed: 1], "other": [.pending: 1],
            ]
        )
    }
}
