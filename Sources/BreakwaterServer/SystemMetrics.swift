import BreakwaterSystemic
import Metrics

/// The cross-market view's gauges, recorded through swift-metrics (`BreakwaterMetricsFactory`
/// gives them their HELP and type): `breakwater_system_markets` (markets in the view),
/// `breakwater_system_average_correlation` and `breakwater_system_absorption_ratio` (fractions),
/// `breakwater_system_absorption_ratio_shift` (standard deviations), `breakwater_system_turbulence`
/// (dimensionless), `breakwater_system_regime{state}` (1 for the current state) and
/// `breakwater_system_update_seconds` (how long the last update took). A figure that is not
/// known is absent (its gauge removed), never NaN.
struct SystemMetrics: Sendable {
    let factory: any MetricsFactory

    static let figures = [
        "breakwater_system_average_correlation", "breakwater_system_absorption_ratio",
        "breakwater_system_absorption_ratio_shift", "breakwater_system_turbulence",
    ]

    func record(_ view: SystemView, seconds: Double) {
        set("breakwater_system_markets", Double(view.markets.count))
        set("breakwater_system_update_seconds", seconds)
        let values = [view.averageCorrelation, view.absorptionRatio, view.absorptionShift, view.turbulence]
        for (name, value) in zip(Self.figures, values) { set(name, value) }
        for s in RegimeState.allCases {
            set("breakwater_system_regime", view.state == s ? 1 : 0, [("state", s.rawValue)])
        }
    }

    /// Records `value`, or removes the gauge when it is nil or not finite.
    private func set(_ name: String, _ value: Double?, _ labels: [(String, String)] = []) {
        let gauge = Gauge(label: name, dimensions: labels, factory: factory)
        if let value, value.isFinite { gauge.record(value) } else { gauge.destroy() }
    }
}
