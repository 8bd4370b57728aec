import BreakwaterEngine
import GRDB

extension SQLiteBackend {
    func pruneBatch(before cutoff: EpochSeconds, limit: Int) throws -> (PruneResult, [(String, DeliveryStatus)]) {
        try write { db in
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
    }
}
