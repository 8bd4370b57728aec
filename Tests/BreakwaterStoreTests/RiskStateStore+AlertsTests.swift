import BreakwaterEngine
import BreakwaterStore
import Testing

/// Alerts listed newest first, filtered and paged.
@Suite struct RiskStateStoreAlertsTests {
    @Test(arguments: StoreBackendKind.allCases) func listFiltersAndPaginates(_ backend: StoreBackendKind) async throws {
        let store = try await freshStore(backend)
        for i in 0..<5 {
            let a = alert(
                "a\(i)",
                fp: "f\(i)",
                market: i % 2 == 0 ? "BTC-USD" : "ETH-USD",
                status: i == 4 ? .resolved : .firing,
                at: Double(100 + i)
            )
            try store.record(AlertBatch(alerts: [a]))
        }
        let p1 = try store.listAlerts(limit: 2)
        #expect(p1.alerts.map(\.id) == ["a4", "a3"])
        let p2 = try store.listAlerts(limit: 2, cursor: p1.nextCursor)
        #expect(p2.alerts.map(\.id) == ["a2", "a1"])
        let p3 = try store.listAlerts(limit: 2, cursor: p2.nextCursor)
        #expect(p3.alerts.map(\.id) == ["a0"])
        #expect(p3.nextCursor == nil)
        // A cursor no page handed out is refused, not read as "from the top" (a client paging
        // until the end would loop forever).
        for bad in [
            "", "x", "12", "12_", "NaN_a1", "12_a b", "12345678901234567890_a1",
            "12_" + String(repeating: "a", count: 65),
        ] {
            #expect(throws: RiskStateStore.InvalidCursor.self, "\(bad)") { try store.listAlerts(limit: 2, cursor: bad) }
        }
        // Well-formed but not a finite time (forged): an empty page, no error.
        #expect(try store.listAlerts(limit: 2, cursor: "\(Double.nan.bitPattern)_a1").alerts.isEmpty)
        #expect(try store.listAlerts(status: .firing, market: "BTC-USD").alerts.map(\.id) == ["a2", "a0"])
        #expect(try store.listAlerts(type: "nope").alerts.isEmpty)
        #expect(try store.firingAlerts().count == 4)
        #expect(try !store.firingAlerts().contains { $0.fingerprint == "f4" })
    }
}
