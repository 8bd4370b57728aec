import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import Foundation
import Logging
import MetricsTestKit
import Testing

@testable import BreakwaterAlerts

/// `Alerting.commit`: one `MarketChange` per market reaches the alerts and the store.
@Suite struct AlertingTests {
    func open(at path: String = tempDBPath()) throws -> Alerting {
        let json = """
            {"server": {"port": 0}, "storage": {"path": "\(path)"},
             "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}], "aggregation": {"minSources": 1}},
                         {"id": "ETH-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}], "aggregation": {"minSources": 1}}]}
            """
        return try Alerting.open(
            config: ConfigLoader.parse(Data(json.utf8)),
            environment: [:],
            metrics: TestMetrics(),
            logger: Logger(label: "alerting-test")
        )
    }

    @Test func aChangeStoresItsAlertsAndTheStateOfEveryMarketInIt() async throws {
        let path = tempDBPath()
        let alerting = try open(at: path)
        var btc = snapshot("BTC-USD", margin: 0.05, state: .halted, reasons: [.velocity], at: 100)
        btc.velocityHaltUntil = 400
        let eth = snapshot("ETH-USD", margin: 0.07, at: 100)
        let halt = transition("BTC-USD", from: .normal, to: .halted, reasons: [.velocity], at: 100)
        // ETH-USD changed its saved state only (no event): it is stored all the same.
        try await alerting.commit([MarketChange(snapshot: btc, events: [halt]), MarketChange(snapshot: eth)], now: 101)
        let firing = try alerting.store.firingAlerts()
        #expect(firing.map(\.type) == [AlertType.halted] && firing.map(\.market) == ["BTC-USD"])
        #expect(firing.first?.startsAt == 100)
        let saved = try alerting.store.loadMarketStates()
        #expect(saved == [MarketStateRecord(btc, updatedAt: 101), MarketStateRecord(eth, updatedAt: 101)])
        #expect(saved.first?.velocityHaltUntil == 400 && saved.last?.maintenanceMargin == 0.07)
    }

    @Test func theEventsOfOneMarketAreAppliedInOrder() async throws {
        let alerting = try open()
        let btc = snapshot("BTC-USD", margin: 0.05, at: 30)
        let events = [
            transition("BTC-USD", from: .normal, to: .halted, reasons: [.velocity], at: 10),
            transition("BTC-USD", from: .halted, to: .normal, reasons: [], at: 20),
        ]
        try await alerting.commit([MarketChange(snapshot: btc, events: events)], now: 30)
        // Opened then resolved: nothing firing, both stored.
        #expect(try alerting.store.firingAlerts().isEmpty)
        let stored = try alerting.store.listAlerts().alerts
        #expect(stored.map(\.status) == [.resolved] && stored.first?.endsAt == 20, "\(stored)")
    }

    @Test func noChangeStoresNothingButStillChecksTheStorage() async throws {
        let path = tempDBPath()
        let alerting = try open(at: path)
        try await alerting.commit([], now: 50)
        #expect(try alerting.store.loadMarketStates().isEmpty)
        #expect(try alerting.store.firingAlerts().isEmpty)
        // The storage file deleted under the running service: an idle commit notices it.
        try FileManager.default.removeItem(atPath: path)
        await #expect(throws: StoreError.self) { try await alerting.commit([], now: 51) }
    }
}
