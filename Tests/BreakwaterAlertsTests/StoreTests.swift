import BreakwaterEngine
import BreakwaterStore
import Foundation
import Testing

@Suite struct StoreTests {
    func alert(_ id: String, fp: String, market: String = "BTC-USD", type: String = "breaker.halted",
               status: AlertStatus = .firing, at t: Double) -> AlertRecord {
        AlertRecord(id: id, fingerprint: fp, type: type, market: market, source: nil, severity: "critical",
                    status: status, startsAt: t, endsAt: nil, summary: "s", data: "{}", updatedAt: t)
    }

    @Test func marketStateRoundTrip() throws {
        let path = tempDBPath()
        do {
            let store = try RiskStateStore(path: path)
            let halt = ManualHalt(reason: "exploit on venue", by: "ops@example", since: 1000, until: 1300)
            try store.saveMarketStates([
                MarketStateRecord(market: "BTC-USD", manual: halt, bandHaltUntil: 1200, velocityHaltUntil: nil,
                                  maintenanceMargin: 0.05, updatedAt: 1001),
                MarketStateRecord(market: "ETH-USD", maintenanceMargin: 0.07, lastGoodPrice: 3012.5,
                                  lastGoodPriceTime: 999.5, updatedAt: 1001),
            ])
        }
        let reopened = try RiskStateStore(path: path)
        let states = try reopened.loadMarketStates()
        #expect(states.map(\.market) == ["BTC-USD", "ETH-USD"])
        #expect(states[0].manual == ManualHalt(reason: "exploit on venue", by: "ops@example", since: 1000, until: 1300))
        #expect(states[0].bandHaltUntil == 1200)
        #expect(states[0].maintenanceMargin == 0.05)
        #expect(states[1].manual == nil)
        #expect(states[1].lastGoodPrice == 3012.5 && states[1].lastGoodPriceTime == 999.5 && states[0].lastGoodPrice == nil)
    }

    /// A second process on the same storage is refused (a double start wrote into the first
    /// one's outbox); the same process may open it again, and a dead holder leaves no lock.
    @Test func anotherProcessOnTheSameStorageIsRefused() throws {
        let path = tempDBPath()
        _ = try RiskStateStore(path: path)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", "import fcntl, sys; f = open(sys.argv[1], 'w'); fcntl.lockf(f, fcntl.LOCK_EX); "
                            + "print('locked', flush=True); sys.stdin.read()", path + ".lock"]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        _ = output.fileHandleForReading.availableData // "locked"
        do {
            _ = try RiskStateStore(path: path)
            Issue.record("opened storage another process holds")
        } catch let e as StoreError {
            #expect(e.kind == .busy && e.message.contains("another process (pid \(holder.processIdentifier))"), "\(e)")
        }
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        _ = try RiskStateStore(path: path) // the holder is gone: free again
    }

    @Test func listFiltersAndPaginates() throws {
        let store = try RiskStateStore(path: tempDBPath())
        for i in 0..<5 {
            try store.record(alert: alert("a\(i)", fp: "f\(i)", market: i % 2 == 0 ? "BTC-USD" : "ETH-USD",
                                          status: i == 4 ? .resolved : .firing, at: Double(100 + i)), deliveries: [])
        }
        let p1 = try store.listAlerts(limit: 2)
        #expect(p1.alerts.map(\.id) == ["a4", "a3"])
        let p2 = try store.listAlerts(limit: 2, cursor: p1.nextCursor)
        #expect(p2.alerts.map(\.id) == ["a2", "a1"])
        let p3 = try store.listAlerts(limit: 2, cursor: p2.nextCursor)
        #expect(p3.alerts.map(\.id) == ["a0"])
        #expect(p3.nextCursor == nil)
        // A cursor no page handed out is refused, not read as "from the top" (a client paging
        // until the end would loop forever).
        for bad in ["", "x", "12", "12_", "NaN_a1", "12_a b", "12345678901234567890_a1", "12_" + String(repeating: "a", count: 65)] {
            #expect(throws: RiskStateStore.InvalidCursor.self, "\(bad)") { try store.listAlerts(limit: 2, cursor: bad) }
        }
        // Well-formed but not a finite time (forged): an empty page, no error.
        #expect(try store.listAlerts(limit: 2, cursor: "\(Double.nan.bitPattern)_a1").alerts.isEmpty)
        #expect(try store.listAlerts(status: .firing, market: "BTC-USD").alerts.map(\.id) == ["a2", "a0"])
        #expect(try store.listAlerts(type: "nope").alerts.isEmpty)
        #expect(try store.firingAlerts().count == 4)
        #expect(try !store.firingAlerts().contains { $0.fingerprint == "f4" })
    }

    @Test func attemptsAreRecordedWithTheDelivery() throws {
        let store = try RiskStateStore(path: tempDBPath())
        let d = DeliveryRecord(id: "msg_1", alertId: "a1", fingerprint: "f", destination: "hook", format: "standard",
                               body: Array("{}".utf8), createdAt: 100)
        try store.record(alert: alert("a1", fp: "f", at: 100), deliveries: [d])
        #expect(try store.dueDeliveries(destination: "hook", now: 100).map(\.id) == ["msg_1"])
        try store.recordAttempt(DeliveryAttempt(deliveryId: "msg_1", attempt: 1, time: 100, statusCode: 500, error: nil,
                                                durationMs: 3), outcome: .retry(at: 105))
        #expect(try store.dueDeliveries(destination: "hook", now: 104).isEmpty)
        #expect(try store.dueDeliveries(destination: "hook", now: 105).count == 1)
        try store.recordAttempt(DeliveryAttempt(deliveryId: "msg_1", attempt: 2, time: 105, statusCode: 204, error: nil,
                                                durationMs: 2), outcome: .delivered)
        let detail = try #require(try store.alert(id: "a1"))
        #expect(detail.notifications.count == 1)
        #expect(detail.notifications[0].delivery.status == .delivered)
        #expect(detail.notifications[0].delivery.attempts == 2)
        #expect(detail.notifications[0].attempts.map(\.statusCode) == [500, 204])
        #expect(detail.notifications[0].delivery.body == Array("{}".utf8))
    }

    @Test func laterNotificationWaitsForEarlierOneOfSameFingerprint() throws {
        let store = try RiskStateStore(path: tempDBPath())
        let d1 = DeliveryRecord(id: "m1", alertId: "a1", fingerprint: "f", destination: "h", format: "slack", body: [], createdAt: 1)
        let d2 = DeliveryRecord(id: "m2", alertId: "a1", fingerprint: "f", destination: "h", format: "slack", body: [], createdAt: 2)
        let d3 = DeliveryRecord(id: "m3", alertId: "a2", fingerprint: "g", destination: "h", format: "slack", body: [], createdAt: 2)
        try store.record(alert: alert("a1", fp: "f", at: 1), deliveries: [d1, d2])
        try store.record(alert: alert("a2", fp: "g", at: 2), deliveries: [d3])
        try store.recordAttempt(DeliveryAttempt(deliveryId: "m1", attempt: 1, time: 2, statusCode: nil, error: "refused",
                                                durationMs: 1), outcome: .retry(at: 50))
        #expect(try store.dueDeliveries(destination: "h", now: 10).map(\.id) == ["m3"])
        #expect(try store.dueDeliveries(destination: "h", now: 50).map(\.id) == ["m1", "m3"])
    }

    @Test func writableCheckPasses() throws {
        try RiskStateStore(path: tempDBPath()).checkWritable(now: 1)
    }

    @Test func unwritablePathIsReportedClearly() throws {
        let error = #expect(throws: StoreError.self) { try RiskStateStore(path: "/nonexistent-dir/x/breakwater.sqlite") }
        #expect(error?.kind == .unwritable)
        #expect(error?.description.contains("storage.path") == true)
    }

    @Test func corruptFileIsReportedClearly() throws {
        let path = tempDBPath()
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try RiskStateStore(path: path) }
        #expect(error?.kind == .corrupt)
    }
}

/// SQLite keeps writing to a deleted file, whose contents vanish at restart: refuse instead.
struct StoreFileIdentityTests {
    @Test func aDeletedDatabaseFileIsNoticed() throws {
        let path = tempDBPath()
        let store = try RiskStateStore(path: path)
        try store.checkWritable(now: 1)
        try FileManager.default.removeItem(atPath: path)
        do {
            try store.checkWritable(now: 2)
            Issue.record("a write to a deleted database file was accepted")
        } catch let e as StoreError {
            #expect(e.kind == .unwritable && e.message.contains("deleted or replaced"), "\(e)")
        }
    }

    /// An idle hand-over writes nothing, yet notices the file gone (between two heartbeats).
    @Test func anIdleCheckNoticesADeletedFileBetweenHeartbeats() throws {
        let path = tempDBPath()
        let store = try RiskStateStore(path: path)
        try store.checkAlive(now: 100)
        try store.checkAlive(now: 100 + RiskStateStore.heartbeatSeconds / 2)
        try FileManager.default.removeItem(atPath: path)
        let error = #expect(throws: StoreError.self) { try store.checkAlive(now: 100 + RiskStateStore.heartbeatSeconds / 2 + 1) }
        #expect(error?.kind == .unwritable && error?.message.contains("deleted or replaced") == true)
    }
}

/// Where the instance lock cannot be taken the store is not used: two instances could share it.
struct StoreInstanceLockTests {
    @Test func aLockFileThatCannotBeCreatedRefusesTheStore() throws {
        let path = tempDBPath()
        // A directory where the lock file should be: open(2) fails (EISDIR) even for root,
        // while the database itself could be created next to it.
        try FileManager.default.createDirectory(atPath: path + ".lock", withIntermediateDirectories: false)
        let error = #expect(throws: StoreError.self) { try RiskStateStore(path: path) }
        #expect(error?.kind == .unwritable, "\(String(describing: error))")
        #expect(error?.message.contains("cannot create the lock file \(path).lock") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: path), "the database was opened without its lock")
    }
}

/// Old history goes after storage.retentionDays; nothing still to send, nothing still firing.
struct StoreRetentionTests {
    func alert(_ id: String, status: AlertStatus, updatedAt: Double) -> AlertRecord {
        AlertRecord(id: id, fingerprint: "fp-\(id)", type: "breaker.halted", market: "BTC-USD", source: nil, severity: "critical",
                    status: status, startsAt: updatedAt - 10, endsAt: status == .resolved ? updatedAt : nil, summary: "s",
                    data: "{}", updatedAt: updatedAt)
    }

    func delivery(_ id: String, alert: String, at t: Double) -> DeliveryRecord {
        DeliveryRecord(id: id, alertId: alert, fingerprint: "fp-\(alert)", destination: "h", format: "standard", body: [1], createdAt: t)
    }

    func finish(_ store: RiskStateStore, _ id: String, at t: Double, _ outcome: AttemptOutcome = .delivered) throws {
        try store.recordAttempt(DeliveryAttempt(deliveryId: id, attempt: 1, time: t, statusCode: 204, error: nil, durationMs: 1),
                                outcome: outcome)
    }

    @Test func pruningDeletesOnlyResolvedAlertsAndFinishedDeliveriesPastTheCutoff() throws {
        let store = try RiskStateStore(path: tempDBPath())
        let cutoff = 1_000_000.0, old = cutoff - 5000, recent = cutoff + 5000
        // Resolved long ago, delivered long ago: gone with its delivery and attempt.
        try store.record(alert: alert("gone", status: .resolved, updatedAt: old), deliveries: [delivery("m-gone", alert: "gone", at: old)])
        try finish(store, "m-gone", at: old + 1)
        // Resolved long ago, its delivery still pending (retrying): both kept.
        try store.record(alert: alert("unsent", status: .resolved, updatedAt: old), deliveries: [delivery("m-unsent", alert: "unsent", at: old)])
        try finish(store, "m-unsent", at: old + 1, .retry(at: recent))
        // Resolved long ago, delivery failed for good only recently: kept.
        try store.record(alert: alert("late", status: .resolved, updatedAt: old), deliveries: [delivery("m-late", alert: "late", at: old)])
        try finish(store, "m-late", at: recent, .failed)
        // Still firing since long ago: its old, delivered notification goes, the alert stays.
        try store.record(alert: alert("firing", status: .firing, updatedAt: old), deliveries: [delivery("m-firing", alert: "firing", at: old)])
        try finish(store, "m-firing", at: old + 1)
        // Resolved recently: kept.
        try store.record(alert: alert("new", status: .resolved, updatedAt: recent), deliveries: [delivery("m-new", alert: "new", at: recent)])
        try finish(store, "m-new", at: recent + 1)

        let result = try store.pruneBatch(before: cutoff)
        #expect(result == PruneResult(alerts: 1, deliveries: 2))
        #expect(try store.pruneBatch(before: cutoff) == PruneResult())
        #expect(try store.listAlerts(limit: 100).alerts.map(\.id).sorted() == ["firing", "late", "new", "unsent"])
        #expect(try store.deliveries().map(\.id) == ["m-unsent", "m-late", "m-new"])
        #expect(try store.alert(id: "gone") == nil)
        #expect(try store.alert(id: "firing")?.notifications.isEmpty == true)
        // The in-memory outbox counts followed the deletions.
        #expect(store.outboxCounts() == (try store.deliveryCounts()))
        #expect(store.outboxCounts()["h"] == [.pending: 1, .failed: 1, .delivered: 1])
    }

    @Test func pruningWorksInBatches() throws {
        let store = try RiskStateStore(path: tempDBPath())
        for i in 0..<7 {
            try store.record(alert: alert("a\(i)", status: .resolved, updatedAt: 10), deliveries: [delivery("m\(i)", alert: "a\(i)", at: 10)])
            try finish(store, "m\(i)", at: 11)
        }
        #expect(try store.pruneBatch(before: 100, limit: 3) == PruneResult(alerts: 3, deliveries: 3))
        #expect(try store.pruneBatch(before: 100, limit: 3) == PruneResult(alerts: 3, deliveries: 3))
        #expect(try store.pruneBatch(before: 100, limit: 3) == PruneResult(alerts: 1, deliveries: 1))
        #expect(try store.pruneBatch(before: 100, limit: 3) == PruneResult())
    }
}

/// `/metrics` reads the outbox counts from memory: no scan of the delivery table per scrape.
struct StoreOutboxCountTests {
    @Test func countsFollowEveryWriteAndAreSeededAtOpen() throws {
        let path = tempDBPath()
        do {
            let store = try RiskStateStore(path: path)
            let a = AlertRecord(id: "a", fingerprint: "f", type: "t", market: "m", source: nil, severity: "info", status: .firing,
                                startsAt: 1, endsAt: nil, summary: "s", data: "{}", updatedAt: 1)
            let ds = (1...4).map { DeliveryRecord(id: "m\($0)", alertId: "a", fingerprint: "f", destination: $0 == 4 ? "other" : "h",
                                                  format: "standard", body: [1], createdAt: 1) }
            try store.record(alert: a, deliveries: ds)
            #expect(store.outboxCounts() == ["h": [.pending: 3], "other": [.pending: 1]])
            let attempt = { (id: String) in DeliveryAttempt(deliveryId: id, attempt: 1, time: 2, statusCode: 500, error: nil, durationMs: 1) }
            try store.recordAttempt(attempt("m1"), outcome: .delivered)
            try store.recordAttempt(attempt("m2"), outcome: .failed)
            try store.recordAttempt(attempt("m3"), outcome: .retry(at: 9))
            #expect(store.outboxCounts() == ["h": [.pending: 1, .delivered: 1, .failed: 1], "other": [.pending: 1]])
            #expect(store.outboxCounts() == (try store.deliveryCounts()))
        }
        // A restart counts the table once.
        #expect(try RiskStateStore(path: path).outboxCounts() == ["h": [.pending: 1, .delivered: 1, .failed: 1], "other": [.pending: 1]])
    }
}
