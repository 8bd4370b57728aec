import BreakwaterAlerts
import BreakwaterConfig
import Foundation

/// The alerts the live stress pass raises, as conditions committed after every pass:
/// `system.insurance_shortfall` (critical) while the standing scenario's bad debt exceeds the
/// insurance fund, and `market.cascade_risk` (warning, per market and side) while the notional
/// liquidatable within a one-sigma_h move exceeds `maxLiquidatableDepthRatio` x depth1Pct.
/// Each resolves when its condition no longer holds.
enum StressAlerts {
    static let insuranceShortfall = "system.insurance_shortfall"
    static let cascadeRisk = "market.cascade_risk"

    /// The standing scenario's worst case against the fund.
    struct Shortfall: Equatable {
        /// Insurance fund balance, quote currency.
        var fund: Double
        /// Bad debt of the standing scenario's worst direction and impact model, quote currency.
        var badDebt: Double
        /// That worst case: `down` or `up`, `sqrt` or `linear`.
        var direction: String
        var impact: String
        /// The market leaving the most bad debt in it.
        var worstMarket: String?
    }

    /// One market side's liquidatable notional within one sigma_h against its depth.
    struct Depth: Equatable {
        var market: String
        /// `long` (a fall) or `short` (a rise).
        var side: String
        /// sigma_h, fraction of price.
        var sigmaH: Double
        /// Notional liquidatable within a sigma_h move, quote currency.
        var liquidatable: Double
        /// Depth within 1 % of mid, quote currency.
        var depth1Pct: Double
    }

    /// The shortfall condition (active when bad debt > fund).
    static func shortfall(_ s: Shortfall) -> AlertCondition {
        var d = AlertDetails()
        d.figures = [
            "insuranceFundUSD": s.fund, "badDebtUSD": s.badDebt, "shortfallUSD": max(0, s.badDebt - s.fund),
        ]
        d.message = "standing scenario (every market its one-horizon 99.9 % move \(s.direction), \(s.impact) impact)"
        let active = s.badDebt > s.fund
        let worst = s.worstMarket.map { ", most from \($0)" } ?? ""
        return AlertCondition(
            type: insuranceShortfall,
            market: AlertType.systemMarket,
            active: active,
            severity: .critical,
            summary: active
                ? "INSURANCE SHORTFALL: the standing scenario's bad debt \(usd(s.badDebt)) exceeds the fund \(usd(s.fund)) "
                    + "(\(s.direction), \(s.impact) impact\(worst)); auto-deleveraging would cover \(usd(s.badDebt - s.fund))"
                : "insurance fund \(usd(s.fund)) covers the standing scenario's bad debt \(usd(s.badDebt))",
            details: d
        )
    }

    /// The cascade-risk condition of one market side (active when liquidatable > ratio x depth).
    static func cascade(_ x: Depth, maxRatio: Double) -> AlertCondition {
        var d = AlertDetails()
        d.side = x.side
        d.figures = [
            "liquidatableUSD": x.liquidatable, "depth1PctUSD": x.depth1Pct, "sigmaHorizon": x.sigmaH,
            "maxLiquidatableDepthRatio": maxRatio,
        ]
        let limit = maxRatio * x.depth1Pct
        let active = x.liquidatable > limit
        let move = x.side == "long" ? "fall" : "rise"
        return AlertCondition(
            type: cascadeRisk,
            market: x.market,
            source: x.side,
            active: active,
            severity: .warning,
            summary: active
                ? "\(x.market) CASCADE RISK: a one-sigma \(move) (\(percent(x.sigmaH))) makes \(usd(x.liquidatable)) of \(x.side)s liquidatable, "
                    + "over \(maxRatio) x the 1 % depth \(usd(x.depth1Pct))"
                : "\(x.market): \(x.side)s liquidatable within one sigma (\(usd(x.liquidatable))) are within \(maxRatio) x the 1 % depth",
            details: d
        )
    }

    /// The inactive cascade-risk condition of a market side the pass did not stress (no
    /// positions, price or liquidity): it resolves an alert left firing.
    static func notStressed(market: String, side: String) -> AlertCondition {
        AlertCondition(
            type: cascadeRisk,
            market: market,
            source: side,
            active: false,
            severity: .warning,
            summary: "\(market): \(side)s no longer stressed (no positions, price or liquidity in the latest pass)",
            details: AlertDetails()
        )
    }

    static func usd(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e9 { return String(format: "$%.2fB", v / 1e9) }
        if a >= 1e6 { return String(format: "$%.2fM", v / 1e6) }
        if a >= 1e3 { return String(format: "$%.1fk", v / 1e3) }
        return String(format: "$%.0f", v)
    }

    static func percent(_ f: Double) -> String { String(format: "%.2f %%", f * 100) }
}
