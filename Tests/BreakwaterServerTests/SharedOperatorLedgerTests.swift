import BreakwaterEngine
import BreakwaterStore
import Testing

@testable import BreakwaterServer

/// The bookkeeping behind shared halts and source switches: which read may change what, and
/// what becomes of an action made while the store was away.
struct SharedOperatorLedgerTests {
    let h1 = ManualHalt(reason: "exploit", by: "alice", since: 100, until: nil)
    let h2 = ManualHalt(reason: "other", by: "bob", since: 110, until: nil)

    @Test func aReadBegunBeforeALocalChangeKeepsItAndOneBegunAfterItsWriteApplies() {
        var ledger = SharedOperatorLedger()
        let before = ledger.generation
        let id = ledger.haltMade("M0", h1, at: 100)
        #expect(ledger.haltRead("M0", stored: nil, readAt: before) == .keep, "the write is not done: pending")
        ledger.haltWritten("M0", id: id)
        #expect(ledger.haltRead("M0", stored: nil, readAt: before) == .keep, "a read from before the write")
        #expect(ledger.haltRead("M0", stored: h1, readAt: ledger.generation) == .apply(h1))
        #expect(ledger.haltRead("M1", stored: h2, readAt: before) == .apply(h2), "another market is not held back")
    }

    @Test func aPendingHaltIsConfirmedWhenTheStoreDidNotChangeAndDroppedWhenItDid() {
        var ledger = SharedOperatorLedger()
        #expect(ledger.haltRead("M0", stored: nil, readAt: ledger.generation) == .apply(nil))
        _ = ledger.haltMade("M0", h1, at: 100)
        let g = ledger.generation
        #expect(ledger.haltRead("M0", stored: nil, readAt: g) == .keep)
        #expect(ledger.pendingHalts["M0"]?.confirmed == true)
        // Another replica halted it before this replica's halt was written: theirs stands.
        #expect(ledger.haltRead("M0", stored: h2, readAt: g) == .superseded(dropped: h1, stored: h2))
        #expect(ledger.pendingHalts.isEmpty)
    }

    @Test func aPendingHaltAlreadyInTheStoreIsNoLongerPending() {
        var ledger = SharedOperatorLedger()
        _ = ledger.haltMade("M0", h1, at: 100)
        #expect(ledger.haltRead("M0", stored: h1, readAt: ledger.generation) == .keep)
        #expect(ledger.pendingHalts.isEmpty)
    }

    @Test func aPendingSwitchIsConfirmedDroppedForANewerOneOrClearedWhenStored() {
        var ledger = SharedOperatorLedger()
        let key = ["M0", "b"]
        let old = SourceSwitchRecord(market: "M0", source: "b", enabled: false, changedBy: "bob", changedAt: 10)
        #expect(ledger.switchRead(key, stored: old).apply)
        let ours = SourceSwitchRecord(market: "M0", source: "b", enabled: true, changedBy: "alice", changedAt: 20)
        _ = ledger.switchMade(ours)
        let unchanged = ledger.switchRead(key, stored: old)
        #expect(!unchanged.apply && unchanged.dropped == nil && ledger.pendingSwitches[key]?.confirmed == true)
        let newer = SourceSwitchRecord(market: "M0", source: "b", enabled: false, changedBy: "bob", changedAt: 15)
        let superseded = ledger.switchRead(key, stored: newer)
        #expect(superseded.apply && superseded.dropped?.change == ours)
        #expect(ledger.pendingSwitches.isEmpty)

        _ = ledger.switchMade(ours)
        var stored = ours
        stored.changedAt = 20.001  // the store keeps 1 ms after the one it replaced
        let written = ledger.switchRead(key, stored: stored)
        #expect(!written.apply && written.dropped == nil && ledger.pendingSwitches.isEmpty)
    }
}
