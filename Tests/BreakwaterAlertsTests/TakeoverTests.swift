import BreakwaterConfig
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Testing

@testable import BreakwaterAlerts
@testable import BreakwaterEngine

/// A replica taking over the alert lease turns into alerts what happened while nobody held
/// it, and nothing the previous holder already sent is sent again.
struct TakeoverTests {
    /// Two replicas' alert centers on one fresh PostgreSQL database.
    func replicas() async throws -> (RiskStateStore, AlertCenter, AlertCenter) {
        let url = try DatabaseURL(try await TestPostgres.shared().newDatabase())
        let config = alertsConfig([hook("h", url: "http://127.0.0.1:1/")])
        let (a, b) = (
            try RiskStateStore(postgres: url, logger: Logger(label: "a")),
            try RiskStateStore(postgres: url, logger: Logger(label: "b"))
        )
        return (a, try AlertCenter(store: a, config: config), try AlertCenter(store: b, config: config))
    }

    func change(_ event: EngineEvent, state: BreakerState) -> MarketChange {
        MarketChange(
            snapshot: snapshot(margin: 0.05, state: state, reasons: event.reasons, at: event.time),
            events: [event]
        )
    }

    @Test func aHaltWhileNobodyHeldTheLeaseIsAlertedOnceByTheNextHolder() async throws {
        let (store, holder, next) = try await replicas()
        let crash = transition(from: .normal, to: .halted, reasons: [.velocity], at: 1000)
        // The holder died before the crash; the other replica only remembered it.
        await next.remember([change(crash, state: .halted)], now: 1000)
        let opened = try await next.takeOver(now: 1005)
        #expect(opened.map(\.type) == ["breaker.halted"])
        #expect(try store.deliveries().count == 1)
        _ = holder
    }

    @Test func whatThePreviousHolderSentIsNotSentAgainAndItsResolutionIsSentOnce() async throws {
        let (store, holder, next) = try await replicas()
        let crash = transition(from: .normal, to: .halted, reasons: [.velocity], at: 1000)
        try await holder.process([change(crash, state: .halted)], now: 1000)
        await next.remember([change(crash, state: .halted)], now: 1000)
        // The holder dies; the market recovers while nobody holds the lease.
        let recovery = transition(from: .halted, to: .normal, reasons: [], at: 1008)
        await next.remember([change(recovery, state: .normal)], now: 1008)
        let changed = try await next.takeOver(now: 1012)
        #expect(changed.map(\.status) == [.resolved], "\(changed.map(\.summary))")
        let sent = try store.deliveries()
        #expect(sent.count == 2, "one firing, one resolved: \(sent.map(\.id))")
        #expect(try store.firingAlerts().isEmpty)
    }
}

extension TakeoverTests {
    /// What a takeover replays (here a crash across 50 markets nobody alerted) is committed in
    /// one transaction: every row written carries the same transaction id.
    @Test func aTakeoverCommitsWhatItReplaysInOneTransaction() async throws {
        let db = try await StoreUnderTest.fresh(.postgres)
        let next = try AlertCenter(store: db.store, config: alertsConfig([hook("h", url: "http://127.0.0.1:1/")]))
        let crash = (0..<50).map { i in
            MarketChange(
                snapshot: snapshot("M\(i)", margin: 0.05, state: .halted, reasons: [.velocity], at: 1000),
                events: [transition("M\(i)", from: .normal, to: .halted, reasons: [.velocity], at: 1000)]
            )
        }
        await next.remember(crash, now: 1000)
        let opened = try await next.takeOver(now: 1005)
        #expect(opened.count == 50)
        #expect(try await db.sql("SELECT count(*) FROM delivery") == "50\n")
        #expect(try await CommitCounter(db).transactions() == 1)
    }
}

extension TakeoverTests {
    /// A takeover the store refuses keeps what it remembered: the next commit through
    /// `Alerting`'s path (``AlertCenter/isLoaded`` false) takes over again and alerts it once.
    @Test func aTakeoverTheStoreRefusedIsDoneAgainAndAlertsOnce() async throws {
        let db = try await StoreUnderTest.fresh(.postgres)
        let next = try AlertCenter(store: db.store, config: alertsConfig([hook("h", url: "http://127.0.0.1:1/")]))
        let crash = transition("M1", from: .normal, to: .halted, reasons: [.velocity], at: 1000)
        await next.remember(
            [MarketChange(snapshot: snapshot("M1", margin: 0.05, state: .halted, at: 1000), events: [crash])],
            now: 1000
        )
        try await db.refuseDeliveries(of: "M1")
        await #expect(throws: (any Error).self) { try await next.takeOver(now: 1005) }
        #expect(await next.isLoaded == false)
        #expect(try await db.sql("SELECT count(*) FROM alert") == "0\n")
        try await db.acceptEverything()
        let opened = try await next.takeOver(now: 1006)
        #expect(opened.map(\.type) == ["breaker.halted"])
        #expect(await next.isLoaded)
        #expect(try await db.sql("SELECT count(*) FROM delivery") == "1\n")
    }
}
