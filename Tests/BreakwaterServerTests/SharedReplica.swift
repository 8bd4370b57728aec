import BreakwaterConfig
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging

@testable import BreakwaterServer

/// A replica's monitor on the shared store, wired as `serve` wires one on PostgreSQL: its manual
/// halts and source switches are written to `store` (events go nowhere).
enum SharedReplica {
    /// Two replicas' stores (`a`, `b`) on one new database of the tests' PostgreSQL.
    static func stores() async throws -> (RiskStateStore, RiskStateStore) {
        let url = try DatabaseURL(try await TestPostgres.shared().newDatabase())
        return (
            try RiskStateStore(postgres: url, logger: Logger(label: "a")),
            try RiskStateStore(postgres: url, logger: Logger(label: "b"))
        )
    }

    static func monitor(_ store: RiskStateStore, label: String, logger: Logger? = nil) async throws -> Monitor {
        let monitor = try Monitor(
            config: ConfigLoader.parse(Data(MonitorTickTests.config.utf8)),
            start: MonitorTickTests.t0,
            logger: logger ?? Logger(label: label)
        )
        await monitor.setEventHandler { _, _ in }
        await monitor.setManualHaltWriter { market, halt, now in
            try store.saveManualHalt(market: market, halt: halt, at: now)
        }
        await monitor.setSourceSwitchWriter { change in try store.saveSourceSwitch(change) }
        return monitor
    }
}
