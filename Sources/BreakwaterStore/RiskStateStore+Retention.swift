public import BreakwaterEngine

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
        let (result, removed) = try backend.pruneBatch(before: cutoff, limit: limit)
        for (destination, status) in removed { outbox.add(destination, status, -1) }
        return result
    }
}
