import BreakwaterEngine
import BreakwaterStore
import Testing

/// A batch of alerts, notifications and margin notices is stored whole or not at all.
@Suite struct AlertBatchTests {
    func delivery(_ id: String, alert: String, fp: String, at t: Double = 100) -> DeliveryRecord {
        DeliveryRecord(
            id: id,
            alertId: alert,
            fingerprint: fp,
            destination: "hook",
            format: "standard",
            body: Array("{\"id\":\"\(id)\"}".utf8),
            createdAt: t
        )
    }

    @Test(arguments: StoreBackendKind.allCases) func aBatchIsStoredAsItLastDescribesEachRow(
        _ backend: StoreBackendKind
    ) async throws {
        let store = try await freshStore(backend)
        var resolved = alert("a1", fp: "f1", at: 100)
        (resolved.status, resolved.endsAt, resolved.updatedAt) = (.resolved, 101, 101)
        try store.record(
            AlertBatch(
                // a1 opened, then resolved by the same change: stored resolved.
                alerts: [alert("a1", fp: "f1", at: 100), alert("a2", fp: "f2", at: 100), resolved],
                deliveries: [
                    delivery("m1", alert: "a1", fp: "f1"), delivery("m2", alert: "a2", fp: "f2"),
                    delivery("m3", alert: "a1", fp: "f1", at: 101),
                ],
                marginNotices: [
                    .init(market: "BTC-USD", margin: 0.05, time: 100),
                    .init(market: "ETH-USD", margin: 0.07, time: 100),
                    .init(market: "BTC-USD", margin: 0.08, time: 101),
                ]
            )
        )
        #expect(try store.alert(id: "a1")?.alert == resolved)
        #expect(try store.firingAlerts().map(\.id) == ["a2"])
        #expect(try store.deliveries().map(\.id) == ["m1", "m2", "m3"])
        #expect(try store.alert(id: "a1")?.notifications.map(\.delivery.id) == ["m1", "m3"])
        #expect(try store.marginNotices() == ["BTC-USD": 0.08, "ETH-USD": 0.07])
        #expect(store.outboxCounts() == ["hook": [.pending: 3]])
    }

    /// One bad row (a notification id already stored) anywhere in a batch, even past the first
    /// statement's worth of rows: nothing of the batch is stored or counted.
    @Test(arguments: StoreBackendKind.allCases) func oneBadRowStoresNothingOfTheBatch(
        _ backend: StoreBackendKind
    ) async throws {
        let store = try await freshStore(backend)
        try store.record(
            AlertBatch(
                alerts: [alert("a0", fp: "f0", at: 100)],
                deliveries: [delivery("m0", alert: "a0", fp: "f0")],
                marginNotices: [.init(market: "BTC-USD", margin: 0.05, time: 100)]
            )
        )
        let before = (try store.deliveries(), try store.listAlerts(limit: 1000).alerts, store.outboxCounts())
        var resolved = alert("a0", fp: "f0", at: 100)
        (resolved.status, resolved.endsAt, resolved.updatedAt) = (.resolved, 200, 200)
        let alerts = (1...2_500).map { alert("a\($0)", fp: "f\($0)", at: 200) } + [resolved]
        for duplicate in ["m0", "m7"] {
            let deliveries = (1...2_500).map { delivery("m\($0)", alert: "a\($0)", fp: "f\($0)", at: 200) }
            let batch = AlertBatch(
                alerts: alerts,
                deliveries: deliveries + [delivery(duplicate, alert: "a0", fp: "f0", at: 200)],
                marginNotices: [.init(market: "BTC-USD", margin: 0.09, time: 200)]
            )
            #expect(throws: StoreError.self, "\(duplicate)") { try store.record(batch) }
            #expect(try store.deliveries() == before.0)
            #expect(try store.listAlerts(limit: 1000).alerts == before.1)
            #expect(store.outboxCounts() == before.2)
            #expect(try store.marginNotices() == ["BTC-USD": 0.05])
        }
    }
}
