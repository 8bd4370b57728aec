import Metrics

/// Delivery outcomes since start-up, recorded through swift-metrics (so this module does not
/// depend on a backend) as `breakwater_alert_deliveries_total{destination, result}`. Every
/// configured destination's three series exist from start-up at 0, so that a rate or an
/// `increase()` sees the first outcome.
final class DeliveryCounters: Sendable {
    /// What one attempt came to.
    enum Result: String, CaseIterable, Sendable {
        /// Delivered (2xx).
        case delivered
        /// Given up on (non-retryable answer or attempts exhausted).
        case failed
        /// Failed and scheduled again.
        case retried
    }

    static let name = "breakwater_alert_deliveries_total"
    private let counters: [String: [Result: Counter]]

    /// - Parameter destinations: destination ids; `factory`: where the counters are made.
    init(destinations: [String], factory: any MetricsFactory) {
        var c: [String: [Result: Counter]] = [:]
        for d in destinations {
            for r in Result.allCases {
                c[d, default: [:]][r] = Counter(
                    label: Self.name,
                    dimensions: [("destination", d), ("result", r.rawValue)],
                    factory: factory
                )
            }
        }
        counters = c
    }

    /// Counts one outcome for `destination` (one of those given at init).
    func add(_ destination: String, _ result: Result) { counters[destination]?[result]?.increment() }
}
