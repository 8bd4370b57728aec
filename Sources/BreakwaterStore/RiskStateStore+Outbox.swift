public import BreakwaterEngine
import GRDB

/// What became of one delivery attempt.
public enum AttemptOutcome: Sendable, Equatable {
    case delivered
    /// Try again at this time (epoch seconds).
    case retry(at: EpochSeconds)
    case failed
}

extension RiskStateStore {
    /// Pending deliveries for `destination` due at `now`, in enqueue order, skipping any whose fingerprint has an
    /// earlier pending delivery (so notifications for one fingerprint arrive in order).
    public func dueDeliveries(destination: String, now: EpochSeconds, limit: Int = 50) throws -> [DeliveryRecord] {
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

    /// The earliest `nextAttemptAt` among the pending deliveries for `destination` that may be
    /// sent next (the oldest pending one of each fingerprint), if any. Deliveries queued behind
    /// a retrying one wait for it, so their own times do not count (they made the worker poll
    /// every 20 ms for the whole retry schedule).
    public func nextDueTime(destination: String) throws -> EpochSeconds? {
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

    /// Records an attempt and its outcome for delivery `id`, atomically.
    public func recordAttempt(_ attempt: DeliveryAttempt, outcome: AttemptOutcome) throws {
        let status: DeliveryStatus
        var next: Double? = nil
        switch outcome {
        case .delivered: status = .delivered
        case .failed: status = .failed
        case .retry(let at):
            status = .pending
            next = at
        }
        let before: (destination: String, status: DeliveryStatus)? = try write { db in
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
                arguments: [
                    attempt.attempt, status.rawValue,
                    status == .delivered ? nil : attempt.error ?? attempt.statusCode.map { "HTTP \($0)" },
                    next, attempt.deliveryId,
                ]
            )
            return row.flatMap { r in
                DeliveryStatus(rawValue: r["status"]).map { (destination: r["destination"] as String, status: $0) }
            }
        }
        if let before, before.status != status {
            outbox.add(before.destination, before.status, -1)
            outbox.add(before.destination, status, 1)
        }
    }

    /// Notes that an attempt for delivery `id` begins at `time` (cleared when its outcome is
    /// recorded), so that one cut short by a kill or a stop shows in the history.
    public func markSending(_ id: String, at time: EpochSeconds) throws {
        try write { db in
            try db.execute(sql: "UPDATE delivery SET sendingSince = ? WHERE id = ?", arguments: [time, id])
        }
    }

    /// What an attempt that the process did not live to finish says in the history.
    public static let interruptedAttemptError =
        "interrupted: Breakwater stopped before this attempt's outcome was recorded (the receiver may have it; the next attempt carries the same webhook-id)"

    /// Records every attempt that began but has no outcome (the process was killed or stopped
    /// during it) as an attempt without an answer, at the time it began; the delivery stays
    /// pending. Call at start-up, before sending. Returns the webhook-ids concerned.
    @discardableResult
    public func recordInterruptedAttempts() throws -> [String] {
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
                    error: Self.interruptedAttemptError,
                    durationMs: 0
                ).insert(db)
                try db.execute(
                    sql: """
                        UPDATE delivery SET attempts = ?, lastError = ?, sendingSince = NULL WHERE id = ?
                        """,
                    arguments: [n + 1, Self.interruptedAttemptError, id]
                )
                ids.append(id)
            }
            return ids
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

    /// Deliveries by destination and status, from memory (no query): kept up to date by every
    /// write of this store since it opened.
    public func outboxCounts() -> [String: [DeliveryStatus: Int]] { outbox.snapshot }

    /// Deliveries by destination and status, counted in the database (one scan of the table).
    public func deliveryCounts() throws -> [String: [DeliveryStatus: Int]] {
        do { return try Self.countDeliveries(pool) } catch { throw StoreError.wrap(error, path: path) }
    }

    static func countDeliveries(_ pool: DatabasePool) throws -> [String: [DeliveryStatus: Int]] {
        try pool.read { db in
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
}

/// The most recent delivery attempt made to one destination.
public struct LastAttempt: Sendable, Equatable {
    /// When it was made, epoch seconds.
    public var time: EpochSeconds
    /// The HTTP status it got, nil when no answer came (connection error, timeout).
    public var statusCode: Int?
    /// Why it failed, nil when it succeeded.
    public var error: String?
    public init(time: EpochSeconds, statusCode: Int?, error: String?) {
        self.time = time
        self.statusCode = statusCode
        self.error = error
    }

    /// True when it delivered (a 2xx answer).
    public var succeeded: Bool { error == nil && (statusCode.map { (200..<300).contains($0) } ?? false) }
}

extension RiskStateStore {
    /// Per destination (each one with an attempt still stored), its latest attempt: one scan of
    /// the attempts, for the status page's delivery state.
    public func lastAttempts() throws -> [String: LastAttempt] {
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
