import BreakwaterStress
import Metrics

/// The live stress pass's gauges, recorded through swift-metrics after every pass (HELP and
/// type in `BreakwaterMetricsFactory.families`): `breakwater_stress_fund_coverage_ratio`
/// (insurance fund over the standing scenario's worst bad debt, +Inf when it leaves none),
/// `breakwater_stress_standing_bad_debt_usd`, `breakwater_stress_insurance_fund_usd` and
/// `breakwater_stress_depletion_distance_ratio{market, impact}` (the smallest move of that
/// market, carried by the betas, that empties the fund, over its one-day 99.9 % move; +Inf when
/// no move below 100 % does; below 1 a 1-in-1000 day breaks the protocol).
struct StressMetrics: Sendable {
    let factory: any MetricsFactory

    func record(_ report: LiveStressReport) {
        let worst = report.worstStanding?.badDebt ?? 0
        Gauge(label: "breakwater_stress_fund_coverage_ratio", factory: factory)
            .record(report.fundCoverage ?? .infinity)
        Gauge(label: "breakwater_stress_standing_bad_debt_usd", factory: factory).record(worst)
        Gauge(label: "breakwater_stress_insurance_fund_usd", factory: factory).record(report.insuranceFund)
        for ranking in report.report.critical {
            for c in ranking {
                Gauge(
                    label: "breakwater_stress_depletion_distance_ratio",
                    dimensions: [("market", c.origin), ("impact", c.impact.rawValue)],
                    factory: factory
                ).record(c.ratio ?? .infinity)
            }
        }
    }
}
