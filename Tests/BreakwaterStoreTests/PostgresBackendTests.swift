import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Testing

/// The PostgreSQL backend's own cases: several stores on one database, a server away or
/// restarted, a URL naming nothing.
@Suite struct PostgresBackendTests {
    let logger = Logger(label: "test")

    @Test func replicasStartingTogetherMigrateOnceAndSeeEachOthersWrites() async throws {
        let url = try DatabaseURL(try await TestPostgres.shared().newDatabase())
        let logger = logger
        let stores = try await withThrowingTaskGroup(of: RiskStateStore.self) { group in
            for _ in 0..<3 { group.addTask { try RiskStateStore(postgres: url, logger: logger) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let halt = ManualHalt(reason: "exploit on venue", by: "ops@example", since: 1000, until: nil)
        try stores[1].saveMarketStates([MarketStateRecord(market: "BTC-USD", manual: halt, updatedAt: 1000)])
        for store in stores { #expect(try store.loadMarketStates().first?.manual == halt) }
    }

    @Test func anUnreachableServerIsReportedAsUnavailable() async throws {
        // Port 1 (tcpmux): nothing listens there on a test machine.
        let url = try DatabaseURL("postgres://breakwater@127.0.0.1:1/none")
        let error = #expect(throws: StoreError.self) { try RiskStateStore(postgres: url, logger: logger) }
        #expect(error?.kind == .unavailable, "\(String(describing: error))")
        #expect(error?.message.contains("storage.urlEnv") == true)
        #expect(error?.path == "postgres://breakwater@127.0.0.1:1/none")
    }

    @Test func aMissingDatabaseIsNamed() async throws {
        let server = try await TestPostgres.shared()
        let url = try DatabaseURL(server.url(database: "no_such_database"))
        let error = #expect(throws: StoreError.self) { try RiskStateStore(postgres: url, logger: logger) }
        #expect(error?.kind == .unwritable && error?.message.contains("no such database") == true)
    }

    /// A replica started while the server is away: opening asks nothing of it, every operation
    /// says it is unavailable, and once it runs the first operation connects and migrates; the
    /// outbox is counted when asked, once reachable.
    @Test func aStoreOpenedWhileTheServerIsAwayConnectsAndMigratesWhenItComes() async throws {
        let server = try await TestPostgres.start()
        let url = try DatabaseURL(try await server.newDatabase())
        let earlier = try RiskStateStore(postgres: url, logger: logger)
        try earlier.record(
            AlertBatch(
                alerts: [alert("a1", fp: "f1", at: 1)],
                deliveries: [
                    DeliveryRecord(
                        id: "m1",
                        alertId: "a1",
                        fingerprint: "f1",
                        destination: "h",
                        format: "standard",
                        body: [1],
                        createdAt: 1
                    )
                ]
            )
        )
        try await server.stop()
        let store = try RiskStateStore(postgres: url, logger: logger, connectNow: false)
        let error = #expect(throws: StoreError.self) { try store.loadMarketStates() }
        #expect(
            error?.kind == .unavailable && error?.message.contains("cannot reach") == true,
            "\(String(describing: error))"
        )
        #expect(throws: StoreError.self) { try store.countOutboxIfNeeded() }
        #expect(store.outboxCounts().isEmpty)
        try await server.restart()
        try store.countOutboxIfNeeded()
        #expect(store.outboxCounts() == ["h": [.pending: 1]])
        try store.saveMarketStates([MarketStateRecord(market: "BTC-USD", maintenanceMargin: 0.05, updatedAt: 2)])
        #expect(try store.loadMarketStates().map(\.maintenanceMargin) == [0.05])
        try await server.stop()
    }

    /// A login the server refuses (here a user it does not know) is named at every operation.
    @Test func aRefusedLoginIsNamedAtEachOperation() async throws {
        let server = try await TestPostgres.shared()
        let name = try #require(URL(string: try await server.newDatabase())?.lastPathComponent)
        let url = try DatabaseURL("postgres://nobody_known@127.0.0.1:\(server.port)/\(name)")
        let store = try RiskStateStore(postgres: url, logger: logger, connectNow: false)
        for _ in 0..<2 {
            let error = #expect(throws: StoreError.self) { try store.checkWritable(now: 1) }
            #expect(
                error?.kind == .unwritable && error?.message.contains("login refused") == true,
                "\(String(describing: error))"
            )
        }
    }

    /// The server restarted under a running store: writes fail while it is away, then the
    /// store connects again by itself, and nothing committed before is lost.
    @Test func theStoreComesBackWithTheServer() async throws {
        let server = try await TestPostgres.start()
        let store = try RiskStateStore(postgres: try DatabaseURL(try await server.newDatabase()), logger: logger)
        try store.saveMarketStates([MarketStateRecord(market: "BTC-USD", maintenanceMargin: 0.05, updatedAt: 1)])
        try await server.stop()
        let error = #expect(throws: StoreError.self) { try store.checkWritable(now: 2) }
        #expect(error?.kind == .unavailable, "\(String(describing: error))")
        try await server.restart()
        try store.checkWritable(now: 3)
        #expect(try store.loadMarketStates().map(\.maintenanceMargin) == [0.05])
        try await server.stop()
    }
}
