#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// Delivery outcomes for one destination since start-up.
public struct DeliveryCounters: Sendable, Equatable {
    /// Notifications delivered (2xx).
    public var delivered = 0
    /// Notifications given up on (non-retryable answer or attempts exhausted).
    public var failed = 0
    /// Attempts that failed and were scheduled again.
    public var retried = 0

    public init() {}
}

/// Thread-safe counters per destination id.
final class CounterTable: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [String: DeliveryCounters] = [:]

    func add(_ destination: String, _ change: (inout DeliveryCounters) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        change(&table[destination, default: DeliveryCounters()])
    }

    var snapshot: [String: DeliveryCounters] {
        lock.lock()
        defer { lock.unlock() }
        return table
    }
}
