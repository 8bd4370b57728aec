import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Testing

@testable import BreakwaterServer

/// Replicas on one PostgreSQL database share manual halts: one set through replica A is
/// written to the store and applied by replica B from what it reads there, resumes too.
struct SharedHaltsTests {
    func replica(_ store: RiskStateStore) async throws -> Monitor {
        try await SharedReplica.monitor(store, label: "shared-halts-test")
    }

    /// Quotes from all three sources of M0 at `t`, then a tick.
    func feed(_ monitor: Monitor, at t: EpochSeconds) async {
        for (source, price) in [("a", 100.0), ("b", 100.5), ("c", 101.0)] {
            _ = await monitor.ingestPush(
                source: source,
                quotes: [PushQuote(market: "M0", price: price, time: t)],
                now: t
            )
        }
        await monitor.tick(now: t)
    }

    @Test func aHaltAndAResumeThroughOneReplicaHoldOnTheOther() async throws {
        let (storeA, storeB) = try await SharedReplica.stores()
        let (a, b) = (try await replica(storeA), try await replica(storeB))
        let t0 = MonitorTickTests.t0
        for m in [a, b] {
            await feed(m, at: t0 + 1.1)
            await feed(m, at: t0 + 2.5)  // past warming (t0 + 2), quotes fresh: a resume is allowed
        }
        try await a.halt(market: "M0", reason: "exploit on venue", by: "alice", durationSeconds: 600, now: t0 + 2.6)
        let halt = try #require(await a.markets[0].manualHalt)
        #expect(await b.markets[0].manualHalt == nil)
        // B saves its own view of M0 (no halt yet) before it reads A's: the halt must survive that.
        try storeB.saveMarketStates([MarketStateRecord(market: "M0", maintenanceMargin: 0.02, updatedAt: t0 + 2.65)])
        await b.applySharedManualHalts(try storeB.loadMarketStates(), now: t0 + 2.7)
        #expect(await b.markets[0].manualHalt == halt)
        #expect(await b.markets[0].state == .halted)
        #expect(await b.markets[1].manualHalt == nil, "only the market halted")

        try await b.resume(market: "M0", by: "bob", now: t0 + 2.9)
        await a.applySharedManualHalts(try storeA.loadMarketStates(), now: t0 + 3.0)
        #expect(await a.markets[0].manualHalt == nil)
        #expect(await a.markets[0].state != .halted)
    }

    /// A halt already past its end is none: a replica does not take it up again.
    @Test func anExpiredSharedHaltIsNotApplied() async throws {
        let store = try RiskStateStore(
            postgres: DatabaseURL(try await TestPostgres.shared().newDatabase()),
            logger: Logger(label: "a")
        )
        let t = MonitorTickTests.t0 + 5
        try store.saveManualHalt(
            market: "M0",
            halt: ManualHalt(reason: "r", by: "x", since: t - 100, until: t - 1),
            at: t - 100
        )
        let monitor = try await replica(store)
        await monitor.applySharedManualHalts(try store.loadMarketStates(), now: t)
        #expect(await monitor.markets[0].manualHalt == nil)
    }

    /// Applied here, answered `pendingShare` (it holds on this replica until the store returns).
    @Test func aHaltThatCannotBeSharedAnswersPendingShare() async throws {
        let monitor = try await SharedReplica.monitorWithStoreAway(label: "shared-halts-test")
        await #expect {
            try await monitor.halt(
                market: "M0",
                reason: "r",
                by: "x",
                durationSeconds: nil,
                now: MonitorTickTests.t0 + 5
            )
        } throws: { error in
            guard case .pendingShare(let n) = error as? Monitor.OperatorError else { return false }
            return n.reason.contains("cannot reach the database server")
        }
        #expect(await monitor.markets[0].manualHalt?.reason == "r")
        // A read of the store (which has no halt) does not undo it while it is pending.
        await monitor.applySharedManualHalts([], now: MonitorTickTests.t0 + 6)
        await monitor.applySharedManualHalts(
            [MarketStateRecord(market: "M0", updatedAt: MonitorTickTests.t0 + 6)],
            now: MonitorTickTests.t0 + 6
        )
        #expect(await monitor.markets[0].manualHalt?.reason == "r")
    }
}
