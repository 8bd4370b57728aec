import BreakwaterEngine
import GRDB

/// What became of one delivery attempt.
public enum AttemptOutcome: Sendable, Equatable {
    case delivered
    /// Try again at this time (epoch seconds).
    case retry(at: EpochSeconds)
    case failed
}

extension AlertStore {
    /// Pending deliveries for `destination` due at `now`, in enqueue order, skipping any whose fingerprint has an
    /// earlier pending delivery (so notifications for one fingerprint arrive in order).
    public func dueDeliveries(destination: String, now: EpochSeconds, limit: Int = 50) throws -> [DeliveryRecord] {
        try read { db in
            try DeliveryRecord.fetchAll(db, sql: """
                SELECT d.* FROM delivery d
                WHERE d.destination = ? AND d.status = 'pending' AND d.nextAttemptAt <= ?
                  AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.destination = d.destination
                      AND e.fingerprint = d.fingerprint AND e.status = 'pending' AND e.seq < d.seq)
                ORDER BY d.seq LIMIT ?
                """, arguments: [destination, now, limit])
        }
    }

    /// The earliest `nextAttemptAt` among the pending deliveries for `destination` that may be
    /// sent next (the oldest pending one of each fingerprint), if any. Deliveries queued behind
    /// a retrying one wait for it, so their own times do not count (they made the worker poll
    /// every 20 ms for the whole retry schedule).
    public func nextDueTime(destination: String) throws -> EpochSeconds? {
        try read { db in
            try Double.fetchOne(db, sql: """
                SELECT MIN(d.nextAttemptAt) FROM delivery d
                WHERE d.destination = ? AND d.status = 'pending'
                  AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.destination = d.destination
                      AND e.fingerprint = d.fingerprint AND e.status = 'pending' AND e.seq < d.seq)
                """, arguments: [destination])
        }
    }

    /// Records an attempt and its outcome for delivery `id`, atomically.
    public func recordAttempt(_ attempt: DeliveryAttempt, outcome: AttemptOutcome) throws {
        try write { db in
            try attempt.insert(db)
            let status: DeliveryStatus
            var next: Double? = nil
            switch outcome {
            case .delivered: status = .delivered
            case .failed: status = .failed
            case .retry(let at): status = .pending; next = at
            }
            try db.execute(sql: """
                UPDATE delivery SET attempts = ?, status = ?, lastError = ?, nextAttemptAt = COALESCE(?, nextAttemptAt)
                WHERE id = ?
                """, arguments: [attempt.attempt, status.rawValue, attempt.error ?? attempt.statusCode.map { "HTTP \($0)" },
                                 next, attempt.deliveryId])
        }
    }

    /// Delivery `id`, or nil.
    public func delivery(id: String) throws -> DeliveryRecord? {
        try read { db in try DeliveryRecord.filter(Column("id") == id).fetchOne(db) }
    }

    /// Every delivery for `destination` in enqueue order (tests and diagnostics).
    public func deliveries(destination: String? = nil) throws -> [DeliveryRecord] {
        try read { db in
            var q = DeliveryRecord.all()
            if let destination { q = q.filter(Column("destination") == destination) }
            return try q.order(Column("seq")).fetchAll(db)
        }
    }

    /// Counts of deliveries by destination and status (for metrics and readiness).
    public func deliveryCounts() throws -> [String: [DeliveryStatus: Int]] {
        try read { db in
            var out: [String: [DeliveryStatus: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT destination, status, COUNT(*) AS n FROM delivery GROUP BY 1, 2") {
                let dest: String = row["destination"]
                guard let s = DeliveryStatus(rawValue: row["status"]) else { continue }
                out[dest, default: [:]][s] = row["n"]
            }
            return out
        }
    }
}
