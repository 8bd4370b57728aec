import Synchronization

/// Deliveries per destination and status, kept in memory so that `/metrics` does not count
/// the delivery table on every scrape (with thousands of alerts each scrape was a full
/// `GROUP BY`). Seeded once when the store opens (or first reaches its database); every write that inserts, finishes or
/// deletes a delivery applies its change after it commits. Counts are never negative.
final class OutboxCounts: Sendable {
    private let table: Mutex<[String: [DeliveryStatus: Int]]>

    init(_ seed: [String: [DeliveryStatus: Int]]) {
        table = Mutex(seed)
    }

    /// Replaces every count with `counts` (the database's, read once it could be reached).
    func reset(to counts: [String: [DeliveryStatus: Int]]) {
        table.withLock { $0 = counts }
    }

    /// Adds `delta` (which may be negative) to the count of `status` at `destination`.
    func add(_ destination: String, _ status: DeliveryStatus, _ delta: Int) {
        table.withLock { t in
            t[destination, default: [:]][status] = max(0, (t[destination]?[status] ?? 0) + delta)
        }
    }

    /// Per destination (each one that ever had a delivery), the statuses with a count above zero.
    var snapshot: [String: [DeliveryStatus: Int]] { table.withLock { $0.mapValues { $0.filter { $0.value > 0 } } } }
}
