import BreakwaterEngine
import NIOCore
import PostgresNIO

extension PostgresBackend {
    /// The columns of ``DeliveryRecord``, in the order ``delivery(from:)`` reads them.
    static let deliveryColumns =
        "seq, id, alertId, fingerprint, destination, format, body, attempts, nextAttemptAt, status, lastError, createdAt"

    func delivery(from row: PostgresRow) throws -> DeliveryRecord {
        let (seq, id, alertId, fingerprint, destination, format, body, attempts, next, status, lastError, createdAt) =
            try row.decode(
                (
                    Int64, String, String, String, String, String, ByteBuffer, Int, Double, String, String?, Double
                ).self
            )
        guard let s = DeliveryStatus(rawValue: status) else {
            throw StoreError(kind: .corrupt, path: location, message: "delivery \(id) has an unknown status \(status)")
        }
        var d = DeliveryRecord(
            id: id,
            alertId: alertId,
            fingerprint: fingerprint,
            destination: destination,
            format: format,
            body: Array(body.readableBytesView),
            createdAt: createdAt
        )
        (d.seq, d.attempts, d.nextAttemptAt, d.status, d.lastError) = (seq, attempts, next, s, lastError)
        return d
    }

    func dueDeliveries(destination: String, now: EpochSeconds, limit: Int) throws -> [DeliveryRecord] {
        try run(
            """
            SELECT \(unescaped: Self.deliveryColumns) FROM delivery d
            WHERE d.destination = \(destination) AND d.status = 'pending' AND d.nextAttemptAt <= \(now)
              AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.destination = d.destination
                  AND e.fingerprint = d.fingerprint AND e.status = 'pending' AND e.seq < d.seq)
            ORDER BY d.seq LIMIT \(limit)
            """
        ).map(delivery(from:))
    }

    /// A delivery another replica has claimed is due for this one when the claim expires.
    func nextDueTime(destination: String) throws -> EpochSeconds? {
        try run(
            """
            SELECT MIN(GREATEST(d.nextAttemptAt, COALESCE(d.claimedUntil, d.nextAttemptAt))) FROM delivery d
            WHERE d.destination = \(destination) AND d.status = 'pending'
              AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.destination = d.destination
                  AND e.fingerprint = d.fingerprint AND e.status = 'pending' AND e.seq < d.seq)
            """
        ).first?.decode(Double?.self) ?? nil
    }

    func recordAttempt(
        _ a: DeliveryAttempt,
        status: DeliveryStatus,
        lastError: String?,
        nextAttemptAt next: EpochSeconds?
    ) throws -> (destination: String, status: DeliveryStatus)? {
        try transaction { c in
            let before = try run(c, "SELECT destination, status FROM delivery WHERE id = \(a.deliveryId) FOR UPDATE")
                .first?.decode((String, String).self)
            try insert(attempt: a, on: c)
            try run(
                c,
                """
                UPDATE delivery SET attempts = \(a.attempt), status = \(status.rawValue), lastError = \(lastError),
                    nextAttemptAt = COALESCE(\(next)::double precision, nextAttemptAt), sendingSince = NULL,
                    claimedBy = NULL, claimedUntil = NULL
                WHERE id = \(a.deliveryId)
                """
            )
            return before.flatMap { b in DeliveryStatus(rawValue: b.1).map { (destination: b.0, status: $0) } }
        }
    }

    func insert(attempt a: DeliveryAttempt, on c: PostgresConnection) throws {
        try run(
            c,
            """
            INSERT INTO delivery_attempt(deliveryId, attempt, time, statusCode, error, durationMs)
            VALUES (\(a.deliveryId), \(a.attempt), \(a.time), \(a.statusCode), \(a.error), \(a.durationMs))
            """
        )
    }

    func markSending(_ id: String, at time: EpochSeconds) throws {
        try run("UPDATE delivery SET sendingSince = \(time) WHERE id = \(id)")
    }

    func delivery(id: String) throws -> DeliveryRecord? {
        try run("SELECT \(unescaped: Self.deliveryColumns) FROM delivery WHERE id = \(id)").first.map(delivery(from:))
    }

    func deliveries(destination: String?) throws -> [DeliveryRecord] {
        try run(
            """
            SELECT \(unescaped: Self.deliveryColumns) FROM delivery
            WHERE \(destination)::text IS NULL OR destination = \(destination) ORDER BY seq
            """
        ).map(delivery(from:))
    }

    func countDeliveries() throws -> [String: [DeliveryStatus: Int]] {
        var out: [String: [DeliveryStatus: Int]] = [:]
        for row in try run("SELECT destination, status, COUNT(*) FROM delivery GROUP BY 1, 2") {
            let (dest, status, n) = try row.decode((String, String, Int).self)
            guard let s = DeliveryStatus(rawValue: status) else { continue }
            out[dest, default: [:]][s] = n
        }
        return out
    }

    func lastAttempts() throws -> [String: LastAttempt] {
        var out: [String: LastAttempt] = [:]
        for row in try run(
            """
            SELECT DISTINCT ON (d.destination) d.destination, a.time, a.statusCode, a.error
            FROM delivery_attempt a JOIN delivery d ON d.id = a.deliveryId ORDER BY d.destination, a.time DESC
            """
        ) {
            let (dest, time, code, error) = try row.decode((String, Double, Int?, String?).self)
            out[dest] = LastAttempt(time: time, statusCode: code, error: error)
        }
        return out
    }

    func pruneBatch(before cutoff: EpochSeconds, limit: Int) throws -> (PruneResult, [(String, DeliveryStatus)]) {
        try transaction { c in
            let removed = try run(
                c,
                """
                DELETE FROM delivery WHERE seq IN (
                    SELECT seq FROM delivery d WHERE d.createdAt < \(cutoff) AND d.status != 'pending'
                      AND NOT EXISTS (SELECT 1 FROM delivery_attempt a WHERE a.deliveryId = d.id AND a.time >= \(cutoff))
                    ORDER BY seq LIMIT \(limit))
                RETURNING destination, status
                """
            ).map { try $0.decode((String, String).self) }
            let alerts = try run(
                c,
                """
                DELETE FROM alert WHERE id IN (
                    SELECT id FROM alert a WHERE a.status = 'resolved' AND a.updatedAt < \(cutoff)
                      AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.alertId = a.id)
                    LIMIT \(limit))
                RETURNING id
                """
            ).count
            let statuses = removed.compactMap { r in DeliveryStatus(rawValue: r.1).map { (r.0, $0) } }
            return (PruneResult(alerts: alerts, deliveries: removed.count), statuses)
        }
    }
}
