public import BreakwaterEngine
import GRDB

/// What one pruning pass deleted.
public struct PruneResult: Sendable, Equatable {
    public var alerts = 0
    /// Finished deliveries (their attempts go with them).
    public var deliveries = 0

    public init(alerts: Int = 0, deliveries: Int = 0) {
        self.alerts = alerts
        self.deliveries = deliveries
    }
}

extension RiskStateStore {
    /// Deletes, in one short transaction, up to `limit` finished deliveries (delivered or
    /// failed) with no attempt since `cutoff` (epoch seconds) and their attempts, then up to
    /// `limit` resolved alerts last changed before `cutoff` that have no delivery left. A
    /// pending delivery and a firing alert are never deleted. Call it again until it deletes
    /// nothing; other writes run between the calls.
    public func pruneBatch(before cutoff: EpochSeconds, limit: Int = 500) throws -> PruneResult {
        let (result, removed): (PruneResult, [(String, DeliveryStatus)]) = try write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, destination, status FROM delivery d
                    WHERE d.createdAt < ?1 AND d.status != 'pending'
                      AND NOT EXISTS (SELECT 1 FROM delivery_attempt a WHERE a.deliveryId = d.id AND a.time >= ?1)
                    ORDER BY seq LIMIT ?2
                    """,
                arguments: [cutoff, limit]
            )
            let seqs: [Int64] = rows.map { $0["seq"] }
            try db.execute(
                sql: "DELETE FROM delivery WHERE seq IN (\(seqs.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments(seqs)
            )
            let alerts = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM alert a WHERE a.status = 'resolved' AND a.updatedAt < ?
                      AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.alertId = a.id)
                    LIMIT ?
                    """,
                arguments: [cutoff, limit]
            )
            try db.execute(
                sql: "DELETE FROM alert WHERE id IN (\(alerts.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments(alerts)
            )
            let removed = rows.compactMap { r in
                DeliveryStatus(rawValue: r["status"]).map { (r["destination"] as String, $0) }
            }
            return (PruneResult(alerts: alerts.count, deliveries: seqs.count), removed)
        }
        for (destination, status) in removed { outbox.add(destination, status, -1) }
        return result
    }
}
