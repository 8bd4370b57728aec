import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Synchronization
import Testing

@testable import BreakwaterServer

/// Shared halts around a database outage and around the sync's reads: an operator's halt made
/// while the store is away holds on its replica and is written when the store returns, unless
/// another replica changed that halt meanwhile; a read taken before a local change never undoes it.
extension SharedHaltsTests {
    /// Opens and closes for a replica's writes: closed, each write throws as a store that cannot
    /// be reached does (this replica cut off from a database the others still reach).
    final class Reachability: Sendable {
        private let away = Mutex(false)
        func set(away value: Bool) { away.withLock { $0 = value } }
        func check() throws {
            if away.withLock({ $0 }) {
                throw StoreError(
                    kind: .unavailable,
                    path: "postgres://test",
                    message: "cannot reach the database server"
                )
            }
        }
    }

    /// A replica whose halt writes go through `reach` to `store`.
    func replica(_ store: RiskStateStore, reach: Reachability, logger: Logger) async throws -> Monitor {
        let monitor = try await SharedReplica.monitor(store, label: "shared-halts-outage", logger: logger)
        await monitor.setManualHaltWriter { market, halt, now in
            try reach.check()
            try store.saveManualHalt(market: market, halt: halt, at: now)
        }
        return monitor
    }

    /// Two replicas A and B on one database, both fed past warming; A's writes through `reach`.
    func pair(
        logger: Logger
    ) async throws -> (a: Monitor, b: Monitor, storeA: RiskStateStore, storeB: RiskStateStore, reach: Reachability) {
        let (storeA, storeB) = try await SharedReplica.stores()
        let reach = Reachability()
        let a = try await replica(storeA, reach: reach, logger: logger)
        let b = try await self.replica(storeB)
        for m in [a, b] {
            await feed(m, at: MonitorTickTests.t0 + 1.1)
            await feed(m, at: MonitorTickTests.t0 + 2.5)
        }
        return (a, b, storeA, storeB, reach)
    }

    @Test func aHaltMadeWhileTheStoreIsAwayHoldsAndIsWrittenWhenItReturns() async throws {
        let (logger, _) = RecordingLogHandler.logger()
        let (a, b, storeA, storeB, reach) = try await pair(logger: logger)
        let t0 = MonitorTickTests.t0
        reach.set(away: true)
        await #expect {
            try await a.halt(market: "M0", reason: "exploit on venue", by: "alice", durationSeconds: nil, now: t0 + 3)
        } throws: { error in
            guard case .pendingShare(let n) = error as? Monitor.OperatorError else { return false }
            return n.reason.contains("cannot reach the database server")
        }
        let halt = try #require(await a.markets[0].manualHalt)
        // The store (still without A's halt) read meanwhile does not undo it.
        await a.applySharedManualHalts(try storeA.loadMarketStates(), now: t0 + 3.2)
        #expect(await a.markets[0].manualHalt == halt, "a read while A's halt is pending undid it")
        #expect(try storeB.loadMarketStates().first { $0.market == "M0" }?.manual == nil)

        reach.set(away: false)
        try await SharedReplica.sync(a, storeA, now: t0 + 4)
        #expect(try storeB.loadMarketStates().first { $0.market == "M0" }?.manual == halt)
        await b.applySharedManualHalts(try storeB.loadMarketStates(), now: t0 + 4.2)
        #expect(await b.markets[0].manualHalt == halt)
        #expect(await a.markets[0].manualHalt == halt)
    }

    @Test func anotherReplicasHaltMadeMeanwhileStandsOverAPendingOne() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        let (a, b, storeA, storeB, reach) = try await pair(logger: logger)
        let t0 = MonitorTickTests.t0
        try await SharedReplica.sync(a, storeA, now: t0 + 2.8)  // A has read the store: no halt
        reach.set(away: true)
        await #expect(throws: Monitor.OperatorError.self) {
            try await a.halt(market: "M0", reason: "from A", by: "alice", durationSeconds: 60, now: t0 + 3)
        }
        try await b.halt(market: "M0", reason: "from B", by: "bob", durationSeconds: nil, now: t0 + 3.5)
        let bs = try #require(await b.markets[0].manualHalt)

        reach.set(away: false)
        try await SharedReplica.sync(a, storeA, now: t0 + 4)
        #expect(await a.markets[0].manualHalt == bs, "B's newer halt stands on A")
        #expect(try storeB.loadMarketStates().first { $0.market == "M0" }?.manual == bs, "A did not overwrite B's")
        let line = try #require(
            log.all.first { $0.message.hasPrefix("another replica changed this market's halt") },
            "\(log.all.map(\.message))"
        )
        #expect(line.metadata["market"] == "M0" && line.metadata["dropped"] == "halt: from A", "\(line.metadata)")
    }

    /// The race: the sync's read taken just before an operator's resume is written (here: read,
    /// then the resume, then the read applied) does not put the halt back, not even for one interval.
    @Test func aReadTakenBeforeALocalResumeDoesNotUndoIt() async throws {
        let (logger, _) = RecordingLogHandler.logger()
        let (a, _, storeA, _, _) = try await pair(logger: logger)
        let t0 = MonitorTickTests.t0
        try await a.halt(market: "M0", reason: "drill", by: "alice", durationSeconds: nil, now: t0 + 3)
        let generation = await a.sharedReadGeneration
        let before = try storeA.loadMarketStates()  // holds the halt
        #expect(before.first { $0.market == "M0" }?.manual != nil)
        try await a.resume(market: "M0", by: "alice", now: t0 + 3.1)
        await a.applySharedManualHalts(before, readAt: generation, now: t0 + 3.2)
        #expect(await a.markets[0].manualHalt == nil, "a read from before the resume put the halt back")
        #expect(await a.markets[0].state != .halted)
        // A read taken after the resume was written applies as usual (and agrees).
        try await SharedReplica.sync(a, storeA, now: t0 + 3.3)
        #expect(await a.markets[0].manualHalt == nil)
    }

    /// The race with the write in flight: a read taken after the operator's resume began but
    /// before it reached the store, and applied before or after it did, does not undo it.
    @Test func aReadTakenWhileALocalResumeIsBeingWrittenDoesNotUndoIt() async throws {
        let (logger, _) = RecordingLogHandler.logger()
        let (a, _, storeA, _, _) = try await pair(logger: logger)
        let t0 = MonitorTickTests.t0
        try await a.halt(market: "M0", reason: "drill", by: "alice", durationSeconds: nil, now: t0 + 3)
        let (entered, enteredGo) = AsyncStream<Void>.makeStream()
        let (release, releaseGo) = AsyncStream<Void>.makeStream()
        await a.setManualHaltWriter { market, halt, now in
            enteredGo.yield()
            for await _ in release { break }
            try storeA.saveManualHalt(market: market, halt: halt, at: now)
        }
        let resume = Task { try await a.resume(market: "M0", by: "alice", now: t0 + 3.1) }
        for await _ in entered { break }  // the resume is applied and its write has begun
        let generation = await a.sharedReadGeneration
        let before = try storeA.loadMarketStates()  // still the halt
        #expect(before.first { $0.market == "M0" }?.manual != nil)
        await a.applySharedManualHalts(before, readAt: generation, now: t0 + 3.2)
        #expect(await a.markets[0].manualHalt == nil, "a read during the write put the halt back")
        releaseGo.yield()
        try await resume.value
        await a.applySharedManualHalts(before, readAt: generation, now: t0 + 3.3)
        #expect(await a.markets[0].manualHalt == nil, "the same read applied after the write put the halt back")
        #expect(try storeA.loadMarketStates().first { $0.market == "M0" }?.manual == nil)
    }
}
