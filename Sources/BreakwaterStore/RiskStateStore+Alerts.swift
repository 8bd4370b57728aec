import BreakwaterEngine
import Foundation
import GRDB

/// One page of alerts, newest first; pass `nextCursor` back to get the following page.
public struct AlertPage: Sendable, Equatable {
    public var alerts: [AlertRecord]
    public var nextCursor: String?
}

/// An alert with its notifications and every attempt made for each.
public struct AlertDetail: Sendable, Equatable {
    public struct Notification: Sendable, Equatable {
        public var delivery: DeliveryRecord
        public var attempts: [DeliveryAttempt]
    }

    public var alert: AlertRecord
    public var notifications: [Notification]
}

extension RiskStateStore {
    /// Inserts or updates `alert` and enqueues `deliveries`, atomically.
    public func record(alert: AlertRecord, deliveries: [DeliveryRecord]) throws {
        try write { db in
            try alert.save(db)
            for var d in deliveries { try d.insert(db) }
        }
        countEnqueued(deliveries)
    }

    /// Counts `deliveries`, just committed.
    private func countEnqueued(_ deliveries: [DeliveryRecord]) {
        for d in deliveries { outbox.add(d.destination, d.status, 1) }
    }

    /// The alerts currently firing, oldest first (re-attached at start-up by fingerprint).
    public func firingAlerts() throws -> [AlertRecord] {
        try read { db in
            try AlertRecord.filter(Column("status") == AlertStatus.firing.rawValue)
                .order(Column("startsAt"), Column("id")).fetchAll(db)
        }
    }

    /// Alerts newest first (by `startsAt`, then id), filtered; `limit` is clamped to 1...1000.
    /// `cursor` is an opaque string from a previous page; one that is not throws `InvalidCursor`
    /// (starting again from the top would make a client that pages until the end loop forever).
    public func listAlerts(
        status: AlertStatus? = nil,
        market: String? = nil,
        type: String? = nil,
        limit: Int = 100,
        cursor: String? = nil
    ) throws -> AlertPage {
        let n = min(max(limit, 1), 1000)
        if let cursor, Self.parseCursor(cursor) == nil { throw InvalidCursor() }
        return try read { db in
            var q = AlertRecord.all()
            if let status { q = q.filter(Column("status") == status.rawValue) }
            if let market { q = q.filter(Column("market") == market) }
            if let type { q = q.filter(Column("type") == type) }
            if let (t, id) = Self.parseCursor(cursor) {
                q = q.filter(Column("startsAt") < t || (Column("startsAt") == t && Column("id") < id))
            }
            let rows = try q.order(Column("startsAt").desc, Column("id").desc).limit(n + 1).fetchAll(db)
            let page = Array(rows.prefix(n))
            let next = rows.count > n ? page.last.map { "\($0.startsAt.bitPattern)_\($0.id)" } : nil
            return AlertPage(alerts: page, nextCursor: next)
        }
    }

    /// A `cursor` that no page handed out.
    public struct InvalidCursor: Error, Sendable, CustomStringConvertible {
        public var description: String { "not a cursor from a previous page (pass nextCursor back unchanged)" }
    }

    /// The position a cursor names: the last alert's start time (its bit pattern, so that it
    /// round-trips exactly) and id. Exactly the strings of the pattern in the OpenAPI document,
    /// `^[0-9]{1,19}_[A-Za-z0-9_-]{1,64}$`, are cursors (a forged one that is not a finite time
    /// gives an empty page or, for +infinity, the first).
    static func parseCursor(_ cursor: String?) -> (Double, String)? {
        guard let cursor, let sep = cursor.firstIndex(of: "_") else { return nil }
        let digits = cursor[..<sep]
        let id = cursor[cursor.index(after: sep)...]
        guard (1...19).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let bits = UInt64(digits),
            (1...64).contains(id.count),
            id.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-")
            })
        else { return nil }
        return (Double(bitPattern: bits), String(id))
    }

    /// The alert `id` with each notification and its attempts, or nil.
    public func alert(id: String) throws -> AlertDetail? {
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

    /// The maintenance margin (fraction) last announced per market.
    public func marginNotices() throws -> [String: Double] {
        try read { db in
            var out: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT market, margin FROM margin_notice") {
                out[row["market"]] = row["margin"]
            }
            return out
        }
    }

    /// Records an alert (with its deliveries) and the margin it announced, atomically.
    public func record(alert: AlertRecord, deliveries: [DeliveryRecord], marginNotice margin: Double) throws {
        try write { db in
            try alert.save(db)
            for var d in deliveries { try d.insert(db) }
            try db.execute(
                sql: "INSERT OR REPLACE INTO margin_notice(market, margin, time) VALUES (?, ?, ?)",
                arguments: [alert.market, margin, alert.startsAt]
            )
        }
        countEnqueued(deliveries)
    }
}
