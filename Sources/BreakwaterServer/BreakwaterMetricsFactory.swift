public import Metrics
public import Prometheus

/// The swift-metrics backend of the service: swift-prometheus's `PrometheusMetricsFactory` over
/// one `PrometheusCollectorRegistry`, so every metric recorded through swift-metrics (HTTP,
/// alert delivery, feed polls, and any library's) is in the registry that `/metrics` emits.
/// Two additions: Breakwater's own families get their `# HELP` text (the Prometheus factory
/// registers every metric with none; `HELP` below says which), and timers are histograms in
/// seconds with `durationBuckets`.
public struct BreakwaterMetricsFactory: MetricsFactory {
    public let registry: PrometheusCollectorRegistry
    let prometheus: PrometheusMetricsFactory

    /// Histogram upper bounds of every timer, seconds (an API answer takes well under a
    /// millisecond; a slow storage write or a stalled client some seconds).
    static let durationBuckets: [Duration] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
        .map { Duration.nanoseconds(Int64(($0 * 1e9).rounded())) }

    /// The families recorded through swift-metrics, by name: their `# HELP` text and Prometheus
    /// type (the type also for the `# TYPE` line a family with no series yet still gets, such as
    /// deliveries with no destination: rules and dashboards find it).
    static let families: [String: (help: String, type: String)] = [
        "breakwater_http_requests_total": ("HTTP requests by method, route and status.", "counter"),
        "breakwater_http_request_duration_seconds": ("HTTP request duration.", "histogram"),
        "breakwater_alert_deliveries_total": ("Alert notifications by destination and result.", "counter"),
        "breakwater_feed_polls_total": ("Polls by result.", "counter"),
        "breakwater_feed_latency_seconds": ("Latency of the last poll of the source.", "gauge"),
        "breakwater_feed_consecutive_failures": ("Polls failed in a row.", "gauge"),
        "breakwater_stress_fund_coverage_ratio": (
            "Insurance fund over the standing stress scenario's worst bad debt (+Inf: none; below 1 the fund is short).",
            "gauge"
        ),
        "breakwater_stress_standing_bad_debt_usd": (
            "Bad debt of the standing stress scenario's worst direction and impact model, quote currency.", "gauge"
        ),
        "breakwater_stress_insurance_fund_usd": ("Insurance fund balance of the latest positions snapshot.", "gauge"),
        "breakwater_stress_depletion_distance_ratio": (
            "Smallest move of the market that empties the insurance fund, over its one-day 99.9 % move (+Inf: none below 100 %).",
            "gauge"
        ),
        "breakwater_system_markets": ("Markets in the cross-market view at the last sample.", "gauge"),
        "breakwater_system_average_correlation": ("Average pairwise correlation of the markets in the view.", "gauge"),
        "breakwater_system_absorption_ratio": (
            "Absorption ratio, fraction of variance in the top fifth of eigenvalues.", "gauge"
        ),
        "breakwater_system_absorption_ratio_shift": ("Absorption ratio shift, standard deviations.", "gauge"),
        "breakwater_system_turbulence": ("Turbulence of the last sample (Mahalanobis distance squared).", "gauge"),
        "breakwater_system_regime": ("1 for the current correlation regime state.", "gauge"),
        "breakwater_system_update_seconds": ("Time the last cross-market update took.", "gauge"),
    ]

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        var prometheus = PrometheusMetricsFactory(registry: registry)
        prometheus.defaultDurationHistogramBuckets = Self.durationBuckets
        self.prometheus = prometheus
    }

    /// The name and `# HELP` of one of Breakwater's families; nil for any other metric.
    static func descriptor(_ label: String) -> MetricNameDescriptor? {
        families[label].map { MetricNameDescriptor(metricName: label, unitName: "", helpText: $0.help) }
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        guard let d = Self.descriptor(label) else {
            return prometheus.makeCounter(label: label, dimensions: dimensions)
        }
        return registry.makeCounter(descriptor: d, labels: dimensions)
    }

    public func makeFloatingPointCounter(
        label: String,
        dimensions: [(String, String)]
    ) -> any FloatingPointCounterHandler {
        guard let d = Self.descriptor(label) else {
            return prometheus.makeFloatingPointCounter(label: label, dimensions: dimensions)
        }
        return registry.makeCounter(descriptor: d, labels: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard let d = Self.descriptor(label) else {
            return prometheus.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
        }
        if !aggregate { return registry.makeGauge(descriptor: d, labels: dimensions) }
        return registry.makeValueHistogram(
            descriptor: d,
            labels: dimensions,
            buckets: prometheus.defaultValueHistogramBuckets
        )
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        guard let d = Self.descriptor(label) else { return prometheus.makeMeter(label: label, dimensions: dimensions) }
        return registry.makeGauge(descriptor: d, labels: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        guard let d = Self.descriptor(label) else { return prometheus.makeTimer(label: label, dimensions: dimensions) }
        return registry.makeDurationHistogram(descriptor: d, labels: dimensions, buckets: Self.durationBuckets)
    }

    public func destroyCounter(_ handler: any CounterHandler) { prometheus.destroyCounter(handler) }
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        prometheus.destroyFloatingPointCounter(handler)
    }
    public func destroyRecorder(_ handler: any RecorderHandler) { prometheus.destroyRecorder(handler) }
    public func destroyMeter(_ handler: any MeterHandler) { prometheus.destroyMeter(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { prometheus.destroyTimer(handler) }
}
