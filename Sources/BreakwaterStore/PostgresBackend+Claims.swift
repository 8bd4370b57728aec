import BreakwaterEngine
import Foundation
import PostgresNIO

/// What lets several replicas share one outbox and one alert lifecycle: delivery claims and
/// the lease.
extension PostgresBackend {
    func claim(
        _ d: DeliveryRecord,
        holder: String,
        at start: EpochSeconds,
        until: EpochSeconds,
        interruptedError: String
    ) throws -> Bool {
        try transaction { c in
            // SKIP LOCKED: a replica claiming the same delivery at this instant is skipped, not waited for.
            guard
                let row = try run(
                    c,
                    """
                    SELECT attempts, sendingSince FROM delivery
                    WHERE id = \(d.id) AND status = 'pending' AND attempts = \(d.attempts)
                      AND nextAttemptAt <= \(start) AND (claimedUntil IS NULL OR claimedUntil <= \(start))
                    FOR UPDATE SKIP LOCKED
                    """
                ).first
            else { return false }
            let (attempts, sendingSince) = try row.decode((Int, Double?).self)
            if let since = sendingSince {
                // The claim of a replica that died (or lost the database) mid-send: its attempt is recorded as
                // interrupted; the caller fetches the delivery again and its next attempt carries the same
                // webhook-id and body.
                try recordInterrupted(id: d.id, attempts: attempts, since: since, error: interruptedError, on: c)
                return false
            }
            try run(
                c,
                """
                UPDATE delivery SET sendingSince = \(start), claimedBy = \(holder), claimedUntil = \(until)
                WHERE id = \(d.id)
                """
            )
            return true
        }
    }

    /// Records every begun attempt whose claim has expired (its replica died or was stopped
    /// mid-send), never one another replica is making now.
    func recordInterruptedAttempts(error: String) throws -> [String] {
        let now = Date().timeIntervalSince1970
        return try transaction { c in
            let rows = try run(
                c,
                """
                SELECT id, attempts, sendingSince FROM delivery
                WHERE sendingSince IS NOT NULL AND (claimedUntil IS NULL OR claimedUntil <= \(now))
                ORDER BY seq FOR UPDATE SKIP LOCKED
                """
            ).map { try $0.decode((String, Int, Double).self) }
            for (id, n, since) in rows {
                try recordInterrupted(id: id, attempts: n, since: since, error: error, on: c)
            }
            return rows.map(\.0)
        }
    }

    /// Records the begun attempt `attempts + 1` of delivery `id` as interrupted (no answer
    /// reached this process; duration unknown) and releases its claim; it stays pending.
    private func recordInterrupted(
        id: String,
        attempts n: Int,
        since: Double,
        error: String,
        on c: PostgresConnection
    ) throws {
        try insert(
            attempt: DeliveryAttempt(
                deliveryId: id,
                attempt: n + 1,
                time: since,
                statusCode: nil,
                error: error,
                durationMs: 0
            ),
            on: c
        )
        try run(
            c,
            """
            UPDATE delivery SET attempts = \(n + 1), lastError = \(error), sendingSince = NULL, claimedBy = NULL,
                claimedUntil = NULL
            WHERE id = \(id)
            """
        )
    }

    func holdLease(_ name: String, holder: String, seconds: Double) throws -> Bool {
        // The database's clock decides expiry, so replicas' clocks need not agree.
        let rows = try run(
            """
            INSERT INTO lease(name, holder, expiresAt)
            VALUES (\(name), \(holder), extract(epoch FROM clock_timestamp()) + \(seconds))
            ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expiresAt = EXCLUDED.expiresAt
            WHERE lease.holder = EXCLUDED.holder OR lease.expiresAt <= extract(epoch FROM clock_timestamp())
            RETURNING holder
            """
        )
        return rows.count == 1
    }
}
