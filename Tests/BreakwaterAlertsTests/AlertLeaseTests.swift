import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Testing

@testable import BreakwaterAlerts

/// The alert lease while the database is away: every commit tries to take it, and the log
/// says why it cannot once (not once per tick), then again once it could.
struct AlertLeaseTests {
    @Test func aRenewalThatKeepsFailingIsLoggedOnceThenTheLeaseIsTakenWhenTheDatabaseReturns() async throws {
        let server = try await TestPostgres.start()
        let url = try DatabaseURL(try await server.newDatabase())
        try await server.stop()
        let (logger, log) = RecordingLogHandler.logger()
        let store = try RiskStateStore(postgres: url, logger: logger, connectNow: false)
        let lease = AlertLease(store: store, logger: logger) {}
        for _ in 0..<5 { #expect(await lease.renew() == false) }
        #expect(log.lines("cannot renew the alert lease").count == 1, "\(log.all.map(\.message))")
        try await server.restart()
        #expect(await lease.renew())
        #expect(log.lines("holding the alert lease: this replica turns events into alerts").count == 1)
        try await server.stop()
    }
}
