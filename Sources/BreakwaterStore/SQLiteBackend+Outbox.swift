import BreakwaterEngine
import GRDB

extension SQLiteBackend {
    func dueDeliveries(destination: String, now: EpochSeconds, limit: Int) throws -> [DeliveryRecord] {
        try read { db in
            try DeliveryRecord.fetchAll(
                db,
                sql: """
                    SELECT d.* FROM delivery d
                    WHERE d.destination = ? AND d.status = 'pending' AND d.nextAttemptAt <= ?
                      AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.destination = d.destination
                          AND e.fingerprint = d.fingerprint AND e.status = 'pending' AND e.seq < d.seq)
                    ORDER BY d.seq LIMIT ?
                    """,
                arguments: [destination, now, limit]
            )
        }
    }

    func nextDueTime(destination: String) throws -> EpochSeconds? {
        try read { db in
            try Double.fetchOne(
                db,
                sql: """
                    SELECT MIN(d.nextAttemptAt) FROM delivery d
                    WHERE d.destination = ? AND d.status = 'pending'
                      AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.destination = d.destination
                          AND e.fingerprint = d.fingerprint AND e.status = 'pending' AND e.seq < d.seq)
                    """,
                arguments: [destination]
            )
        }
    }

    func recordAttempt(
        _ attempt: DeliveryAttempt,
        status: DeliveryStatus,
        lastError: String?,
        nextAttemptAt next: EpochSeconds?
    ) throws -> (destination: String, status: DeliveryStatus)? {
        try write { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT destination, status FROM delivery WHERE id = ?",
                arguments: [attempt.deliveryId]
            )
            try attempt.insert(db)
            try db.execute(
                sql: """
                    UPDATE delivery SET attempts = ?, status = ?, lastError = ?, nextAttemptAt = COALESCE(?, nextAttemptAt),
                        sendingSince = NULL
                    WHERE id = ?
                    """,
                arguments: [attempt.attempt, status.rawValue, lastError, next, attempt.deliveryId]
            )
            return row.flatMap { r in
                DeliveryStatus(rawValue: r["status"]).map { (destination: r["destination"] as String, status: $0) }
            }
        }
    }

    func markSending(_ id: String, at time: EpochSeconds) throws {
        try write { db in
            try db.execute(sql: "UPDATE delivery SET sendingSince = ? WHERE id = ?", arguments: [time, id])
        }
    }

    /// One process per file: every claim is granted (the mark is best effort, as before).
    func claim(
        _ d: DeliveryRecord,
        holder: String,
        at start: EpochSeconds,
        until: EpochSeconds,
        interruptedError: String
    ) throws -> Bool {
        try? markSending(d.id, at: start)
        return true
    }

    /// One process per file (the instance lock): it always holds every lease.
    func holdLease(_ name: String, holder: String, seconds: Double) throws -> Bool { true }

    func recordInterruptedAttempts(error: String) throws -> [String] {
        try write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, attempts, sendingSince FROM delivery WHERE sendingSince IS NOT NULL ORDER BY seq
                    """
            )
            var ids: [String] = []
            for row in rows {
                let id: String = row["id"]
                let n: Int = row["attempts"]
                let since: Double = row["sendingSince"]
                // Duration unknown: the answer, if any, never reached this process.
                try DeliveryAttempt(
                    deliveryId: id,
                    attempt: n + 1,
                    time: since,
                    statusCode: nil,
                    error: error,
                    durationMs: 0
                ).insert(db)
                try db.execute(
                    sql: """
                        UPDATE delivery SET attempts = ?, lastError = ?, sendingSince = NULL WHERE id = ?
                        """,
                    arguments: [n + 1, error, id]
                )
                ids.append(id)
            }
            return ids
        }
    }

    func delivery(id: String) throws -> DeliveryRecord? {
        try read { db in try DeliveryRecord.filter(Column("id") == id).fetchOne(db) }
    }

    func deliveries(destination: String?) throws -> [DeliveryRecord] {
        try read { db in
            var q = DeliveryRecord.all()
            if let destination { q = q.filter(Column("destination") == destination) }
            return try q.order(Column("seq")).fetchAll(db)
        }
    }

    func countDeliveries() throws -> [String: [DeliveryStatus: Int]] {
        try read { db in
            var out: [String: [DeliveryStatus: Int]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT destination, status, COUNT(*) AS n FROM delivery GROUP BY 1, 2"
            ) {
                let dest: String = row["destination"]
                guard let s = DeliveryStatus(rawValue: row["status"]) else { continue }
                out[dest, default: [:]][s] = row["n"]
            }
            return out
        }
    }

    func lastAttempts() throws -> [String: LastAttempt] {
        try read { db in
            var out: [String: LastAttempt] = [:]
            // SQLite's bare columns with MAX() come from the row holding the maximum.
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT d.destination AS destination, MAX(a.time) AS time, a.statusCode AS statusCode, a.error AS error
                    FROM delivery_attempt a JOIN delivery d ON d.id = a.deliveryId GROUP BY d.destination
                    """
            ) {
                out[row["destination"]] = LastAttempt(
                    time: row["time"],
                    statusCode: row["statusCode"],
                    error: row["error"]
                )
            }
            return out
        }
    }
}
