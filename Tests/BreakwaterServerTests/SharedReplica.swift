import BreakwaterConfig
import BreakwaterEngine
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

    /// A replica's monitor whose shared store is away: every halt and source switch it shares
    /// throws `unavailable` ("cannot reach the database server"), as PostgreSQL's absence does.
    static func monitorWithStoreAway(label: String) async throws -> Monitor {
        let monitor = try Monitor(
            config: ConfigLoader.parse(Data(MonitorTickTests.config.utf8)),
            start: MonitorTickTests.t0,
            logger: Logger(label: label)
        )
        let away = StoreError(
            kind: .unavailable,
            path: "postgres://x@h:5432/d",
            message: "cannot reach the database server"
        )
        await monitor.setEventHandler { _, _ in }
        await monitor.setManualHaltWriter { _, _, _ in throw away }
        await monitor.setSourceSwitchWriter { _ in throw away }
        return monitor
    }

    /// One pass of `monitor`'s sync with the shared `store` as `serve` runs it
    /// (``SharedOperatorSync/pass(atStart:)``), at `now`, epoch seconds.
    static func sync(_ monitor: Monitor, _ store: RiskStateStore, now: EpochSeconds) async throws {
        let logger = Logger(label: "shared-sync-test")
        let join = DatabaseJoin(store: store, monitor: monitor, logger: logger, now: { now })
        try await SharedOperatorSync(store: store, monitor: monitor, join: join, logger: logger, now: { now }).pass()
    }
}
