import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Testing

@testable import BreakwaterServer

/// Replicas on one PostgreSQL database share source disables and enables: one made through
/// replica A is written to the store and applied by replica B from what it reads there.
struct SharedSourcesTests {
    func replica(_ store: RiskStateStore) async throws -> Monitor {
        try await SharedReplica.monitor(store, label: "shared-sources-test")
    }

    /// Whether source `id` of M0 counts in its aggregate on `monitor`.
    func enabled(_ monitor: Monitor, _ id: String) async -> Bool {
        let engine = await monitor.engine
        guard let j = engine.sourceIndex[0][id] else {
            Issue.record("no source \(id)")
            return false
        }
        return engine.source(market: 0, j).enabled
    }

    @Test func aDisableAndAnEnableThroughOneReplicaHoldOnTheOther() async throws {
        let (storeA, storeB) = try await SharedReplica.stores()
        let (a, b) = (try await replica(storeA), try await replica(storeB))
        let t0 = MonitorTickTests.t0
        try await a.setSource(market: "M0", source: "b", enabled: false, by: "alice", now: t0 + 1)
        #expect(await enabled(a, "b") == false)
        #expect(await enabled(b, "b"), "not applied before B reads the store")
        await b.applySharedSourceSwitches(try storeB.loadSourceSwitches(), now: t0 + 1.2)
        #expect(await enabled(b, "b") == false)
        #expect(await enabled(b, "a"), "only the source switched")
        #expect(await enabled(b, "c"), "only the source switched")

        try await b.setSource(market: "M0", source: "b", enabled: true, by: "bob", now: t0 + 2)
        await a.applySharedSourceSwitches(try storeA.loadSourceSwitches(), now: t0 + 2.2)
        #expect(await enabled(a, "b"))
        #expect(
            try storeA.loadSourceSwitches() == [
                SourceSwitchRecord(market: "M0", source: "b", enabled: true, changedBy: "bob", changedAt: t0 + 2)
            ]
        )
    }

    /// A read from before this replica's own switch (the sync's read racing the operator's
    /// request) does not undo it.
    @Test func aSwitchOlderThanOurOwnIsNotApplied() async throws {
        let store = try RiskStateStore(
            postgres: DatabaseURL(try await TestPostgres.shared().newDatabase()),
            logger: Logger(label: "a")
        )
        let t0 = MonitorTickTests.t0
        try store.saveSourceSwitch(
            SourceSwitchRecord(market: "M0", source: "c", enabled: false, changedBy: "carol", changedAt: t0 + 1)
        )
        let stale = try store.loadSourceSwitches()
        let monitor = try await replica(store)
        try await monitor.setSource(market: "M0", source: "c", enabled: true, by: "dave", now: t0 + 3)
        await monitor.applySharedSourceSwitches(stale, now: t0 + 3.1)
        #expect(await enabled(monitor, "c"))
        await monitor.applySharedSourceSwitches(try store.loadSourceSwitches(), now: t0 + 3.2)
        #expect(await enabled(monitor, "c"))
    }

    /// A switch the store did not take answers pendingShare and holds on this replica: a read
    /// of the store (here no switch at all) does not undo it while it waits to be written.
    @Test func aSwitchThatCannotBeSharedAnswersPendingShareAndHolds() async throws {
        let monitor = try await SharedReplica.monitorWithStoreAway(label: "shared-sources-test")
        await #expect {
            try await monitor.setSource(
                market: "M0",
                source: "a",
                enabled: false,
                by: "x",
                now: MonitorTickTests.t0 + 5
            )
        } throws: { error in
            guard case .pendingShare(let n) = error as? Monitor.OperatorError else { return false }
            return n.reason.contains("cannot reach the database server")
        }
        #expect(await enabled(monitor, "a") == false)
        await monitor.applySharedSourceSwitches([], now: MonitorTickTests.t0 + 6)
        #expect(await enabled(monitor, "a") == false, "a read undid the pending switch")
    }
}
