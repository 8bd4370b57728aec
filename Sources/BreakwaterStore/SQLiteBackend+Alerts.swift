import BreakwaterEngine
import GRDB

extension SQLiteBackend {
    /// One transaction, row by row (SQLite statements cost microseconds; the commit is what counts).
    func record(_ batch: AlertBatch) throws {
        try write { db in
            for a in batch.latestAlerts { try a.save(db) }
            for var d in batch.deliveries { try d.insert(db) }
            for n in batch.latestMarginNotices {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO margin_notice(market, margin, time) VALUES (?, ?, ?)",
                    arguments: [n.market, n.margin, n.time]
                )
            }
        }
    }

    func firingAlerts() throws -> [AlertRecord] {
        try read { db in
            try AlertRecord.filter(Column("status") == AlertStatus.firing.rawValue)
                .order(Column("startsAt"), Column("id")).fetchAll(db)
        }
    }

    func lastAlertChange() throws -> EpochSeconds? {
        try read { db in try Double.fetchOne(db, sql: "SELECT MAX(updatedAt) FROM alert") }
    }

    func listAlerts(
        status: AlertStatus?,
        market: String?,
        type: String?,
        limit: Int,
        after: (startsAt: Double, id: String)?
    ) throws -> [AlertRecord] {
        try read { db in
            var q = AlertRecord.all()
            if let status { q = q.filter(Column("status") == status.rawValue) }
            if let market { q = q.filter(Column("market") == market) }
            if let type { q = q.filter(Column("type") == type) }
            if let (t, id) = after {
                q = q.filter(Column("startsAt") < t || (Column("startsAt") == t && Column("id") < id))
            }
            return try q.order(Column("startsAt").desc, Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    func alert(id: String) throws -> AlertDetail? {
        try read { db in
            guard let a = try AlertRecord.fetchOne(db, key: id) else { return nil }
            let ds = try DeliveryRecord.filter(Column("alertId") == id).order(Column("seq")).fetchAll(db)
            let notes = try ds.map { d in
                AlertDetail.Notification(
                    delivery: d,
                    attempts: try DeliveryAttempt.filter(Column("deliveryId") == d.id)
                        .order(Column("attempt")).fetchAll(db)
                )
            }
            return AlertDetail(alert: a, notifications: notes)
        }
    }

    func marginNotices() throws -> [String: Double] {
        try read { db in
            var out: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT market, margin FROM margin_notice") {
                out[row["market"]] = row["margin"]
            }
            return out
        }
    }
}
