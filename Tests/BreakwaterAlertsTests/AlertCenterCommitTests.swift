import BreakwaterConfig
import BreakwaterTestSupport
import Foundation
import GRDB
import Logging
import Synchronization
import Testing

@testable import BreakwaterAlerts
@testable import BreakwaterEngine
@testable import BreakwaterStore

/// Everything one call to the alert center changes is stored in one transaction: a crash across
/// hundreds of markets costs one commit, and a store that fails part-way leaves nothing behind,
/// in the database or in memory.
@Suite struct AlertCenterCommitTests {
    static let markets = (0..<200).map { String(format: "M%03d", $0) }

    /// Every market of ``markets`` crashing at `t`: halted on a velocity move.
    static func crash(at t: Double) -> [MarketChange] {
        markets.map { m in
            MarketChange(
                snapshot: snapshot(m, margin: 0.05, state: .halted, reasons: [.velocity], at: t),
                events: [transition(m, from: .normal, to: .halted, reasons: [.velocity], at: t)]
            )
        }
    }

    @Test(arguments: StoreUnderTest.Backend.allCases)
    func aCrashAcross200MarketsOpens200AlertsInOneTransaction(_ backend: StoreUnderTest.Backend) async throws {
        let db = try await StoreUnderTest.fresh(backend)
        let center = try AlertCenter(store: db.store, config: alertsConfig([hook("h", url: "http://127.0.0.1:1/")]))
        let commits = CommitCounter(db)
        let opened = try await center.process(Self.crash(at: 1000), now: 1000)
        #expect(opened.count == 200 && opened.allSatisfy { $0.type == "breaker.halted" })
        #expect(try await db.sql("SELECT count(*) FROM alert") == "200\n")
        #expect(try await db.sql("SELECT count(*) FROM delivery") == "200\n")
        #expect(try await commits.transactions() == 1)
    }

    /// Conditions that do not come from engine events (a backtest, the correlation regime,
    /// stress), applied together: one transaction too.
    @Test(arguments: StoreUnderTest.Backend.allCases)
    func conditionsAppliedTogetherAreOneTransaction(_ backend: StoreUnderTest.Backend) async throws {
        let db = try await StoreUnderTest.fresh(backend)
        let center = try AlertCenter(store: db.store, config: alertsConfig([hook("h", url: "http://127.0.0.1:1/")]))
        let commits = CommitCounter(db)
        let conditions = Self.markets.prefix(20).map { m in
            AlertCondition(
                type: "model.breach",
                market: m,
                active: true,
                severity: .warning,
                summary: "\(m): margin model breached",
                details: AlertDetails()
            )
        }
        #expect(try await center.apply(conditions, at: 1000).count == 20)
        #expect(try await db.sql("SELECT count(*) FROM delivery") == "20\n")
        #expect(try await commits.transactions() == 1)
    }

    /// The database refuses one notification in the middle of a change that resolves an alert
    /// loaded at start-up, opens 199, opens a held source alert and announces a margin: nothing
    /// of it is stored, the center's state is as before, nothing is logged or woken; once the
    /// database accepts again, the same change opens every alert exactly once with its notification.
    @Test(arguments: StoreUnderTest.Backend.allCases)
    func aStoreFailingMidCallChangesNothingAndTheRetryStoresEverythingOnce(
        _ backend: StoreUnderTest.Backend
    ) async throws {
        let db = try await StoreUnderTest.fresh(backend)
        var config = alertsConfig([hook("h", url: "http://127.0.0.1:1/")], marginStep: 0.1)
        config.sourceDegradedForSeconds = 5
        // M000 halted before a restart: loaded as firing and re-attached.
        let halted = transition("M000", from: .normal, to: .halted, reasons: [.velocity], at: 1000)
        try await AlertCenter(store: db.store, config: config).process(events: [halted], snapshots: [], now: 1000)
        let (logger, logs) = RecordingLogHandler.logger()
        let wakes = Mutex(0)
        let center = try AlertCenter(
            store: db.store,
            config: config,
            onEnqueue: { wakes.withLock { $0 += 1 } },
            logger: logger
        )
        // Every other market's margin known; a source of M001 degraded, held for 5 s.
        try await center.process(
            events: [sourceEvent("venue-a", from: .ok, to: .stale, at: 1001, market: "M001")],
            snapshots: Self.markets.dropFirst().map { snapshot($0, margin: 0.05, at: 1001) },
            now: 1001
        )
        let before = try await State(center)
        #expect(before.firing == ["M000/breaker.halted"] && before.reattached == before.firing)
        #expect(before.held == ["M001/source.degraded/venue-a"] && before.margins.count == 199)

        var change = Self.crash(at: 1010).dropFirst().map { $0 }
        change[1].snapshot.maintenanceMargin = 0.2  // M002: +300%, announced
        let recovered = transition("M000", from: .halted, to: .normal, reasons: [], at: 1010)
        change.append(MarketChange(snapshot: snapshot("M000", margin: 0.05, at: 1010), events: [recovered]))

        try await db.refuseDeliveries(of: "M150")
        await #expect(throws: StoreError.self) { try await center.process(change, now: 1010) }
        #expect(try await State(center) == before)
        #expect(try await db.sql("SELECT count(*) FROM alert") == "1\n")
        #expect(try await db.sql("SELECT count(*) FROM delivery") == "1\n")
        #expect(try await db.sql("SELECT count(*) FROM margin_notice") == "0\n")
        #expect(logs.all.isEmpty && wakes.withLock { $0 } == 0)
        #expect(db.store.outboxCounts()["h"]?[.pending] == 1)

        try await db.acceptEverything()
        let changed = try await center.process(change, now: 1010)
        #expect(changed.count == 202, "1 resolved, 199 opened, 1 held source, 1 margin notice")
        #expect(try await db.sql("SELECT count(*) FROM alert") == "202\n")
        // Each alert once, each with its one notification (M000: its firing one and its resolved one).
        #expect(try await db.sql("SELECT count(DISTINCT fingerprint) FROM alert") == "202\n")
        let notifications = try await db.sql(
            "SELECT a.fingerprint, count(d.id) FROM alert a JOIN delivery d ON d.alertId = a.id "
                + "GROUP BY a.fingerprint HAVING count(d.id) <> 1"
        )
        #expect(notifications == "M000/breaker.halted|2\n")
        #expect(try await db.sql("SELECT count(*) FROM delivery") == "203\n")
        #expect(try await db.sql("SELECT market, margin FROM margin_notice") == "M002|0.2\n")
        #expect(db.store.outboxCounts()["h"]?[.pending] == 203)
        #expect(logs.lines("alert.firing").count == 201 && logs.lines("alert.resolved").count == 1)
        #expect(wakes.withLock { $0 } == 1)
        let after = try await State(center)
        #expect(after.firing.count == 200 && !after.firing.contains("M000/breaker.halted"))
        #expect(after.reattached.isEmpty && after.held.isEmpty && after.margins["M002"] == 0.2)
    }
}

/// What an alert center holds in memory, comparable.
private struct State: Equatable {
    var firing: Set<String>
    var alerts: [Alert]
    var lastSent: [String: [String: Double]]
    var reattached: Set<String>
    var margins: [String: Double]
    var held: Set<String>
    var heldSince: [Double]

    init(_ center: AlertCenter) async throws {
        firing = Set(await center.firing.keys)
        alerts = await center.firingAlerts()
        lastSent = await center.lastSent
        reattached = await center.reattached
        margins = await center.marginNotified
        let held = await center.held
        self.held = Set(held.keys)
        heldSince = held.sorted { $0.key < $1.key }.map(\.value.since)
    }
}

/// Counts the transactions that wrote a store's alerts and notifications. SQLite: GRDB's commit
/// hook on the store's own connection, from now on. PostgreSQL: every row keeps the id of the
/// transaction that last wrote it (`xmin`).
final class CommitCounter: TransactionObserver, Sendable {
    private let db: StoreUnderTest
    private let commits = Mutex(0)

    init(_ db: StoreUnderTest) {
        self.db = db
        if let sqlite = db.store.backend as? SQLiteBackend { sqlite.pool.add(transactionObserver: self) }
    }

    func transactions() async throws -> Int {
        switch db.backend {
        case .sqlite: return commits.withLock { $0 }
        case .postgres:
            let ids = try await db.sql(
                "SELECT count(DISTINCT x) FROM (SELECT xmin::text AS x FROM alert UNION ALL SELECT xmin::text FROM delivery) w"
            )
            return Int(ids.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
    func databaseDidRollback(_ db: Database) {}
}
