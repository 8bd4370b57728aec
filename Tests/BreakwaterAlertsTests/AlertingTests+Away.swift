import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import MetricsTestKit
import Testing

@testable import BreakwaterAlerts

/// `Alerting.open` on PostgreSQL asks nothing of the database (a replica may start while it is
/// away): the firing alerts are loaded when the replica first holds the lease.
extension AlertingTests {
    @Test func opensWhileThePostgresServerIsAwayAndLoadsTheFiringAlertsOnceItHoldsTheLease() async throws {
        let server = try await TestPostgres.start()
        let url = try await server.newDatabase()
        // Another replica had opened a halt alert before this one started.
        let earlier = try RiskStateStore(postgres: DatabaseURL(url), logger: Logger(label: "earlier"))
        let halt = transition("BTC-USD", from: .normal, to: .halted, reasons: [.velocity], at: 100)
        let halted = snapshot("BTC-USD", margin: 0.05, state: .halted, reasons: [.velocity], at: 100)
        try await AlertCenter(store: earlier, config: AlertsConfig()).process(
            [MarketChange(snapshot: halted, events: [halt])],
            now: 100
        )
        try await server.stop()
        let json = """
            {"server": {"port": 0}, "storage": {"kind": "postgres", "urlEnv": "DB_URL"},
             "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}], "aggregation": {"minSources": 1}}]}
            """
        let environment = ["DB_URL": url]
        let alerting = try Alerting.open(
            config: ConfigLoader.parse(Data(json.utf8), environment: environment),
            environment: environment,
            metrics: TestMetrics(),
            logger: Logger(label: "alerting-test")
        )
        #expect(await !alerting.center.isLoaded)
        await #expect(throws: StoreError.self) { try await alerting.commit([], now: 101) }

        try await server.restart()
        // The market is still halted: the alert stays the one opened before, not a second.
        try await alerting.commit([MarketChange(snapshot: halted, events: [halt])], now: 102)
        #expect(alerting.lease.isHeld)
        #expect(await alerting.center.isLoaded)
        let firing = try alerting.store.firingAlerts()
        #expect(firing.count == 1 && firing.first?.startsAt == 100, "\(firing)")
        try await server.stop()
    }
}
