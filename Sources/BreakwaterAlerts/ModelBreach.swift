public import BreakwaterConfig
public import BreakwaterEngine
import BreakwaterWire

/// The `model.breach` alert: a market's margin model fails its backtest on a side. Judged on
/// the maintenance margin (the level the coverage quantile sets) over the last 250 windows:
/// warning while either side's Basel zone is yellow, critical while either is red or its
/// LR_cc exceeds 9.21 (chi2(2) at 99 %); resolved when both sides are green again (or unrated).
public enum ModelBreach {
    public static let type = "model.breach"
    /// LR_cc above which the model is rejected at 99 % (chi2 with two degrees of freedom).
    public static let criticalConditionalLR = 9.21

    /// The severity `report` calls for on `side`; nil when that side is green or unrated.
    public static func severity(_ report: BacktestReport, side: MarginSide) -> AlertSeverity? {
        let f = report[side, .maintenance].last250
        if f.zone == .red || f.conditionalLR > criticalConditionalLR { return .critical }
        return f.zone == .yellow ? .warning : nil
    }

    /// The worse of the two sides (long first on a tie) and its severity; nil when neither breaches.
    public static func breach(_ report: BacktestReport) -> (side: MarginSide, severity: AlertSeverity)? {
        var worst: (side: MarginSide, severity: AlertSeverity)?
        for side in MarginSide.allCases {
            guard let s = severity(report, side: side) else { continue }
            if worst == nil || s > worst!.severity { worst = (side, s) }
        }
        return worst
    }

    /// The condition of `market` for `report`: active with the breaching side's severity, or
    /// inactive (`severity` then says which alert it resolves, default warning). The details
    /// carry the side and, per side, the last-250 figures (counts, expected count, p-values, LRs).
    public static func condition(
        market: String,
        report: BacktestReport,
        inactiveSeverity: AlertSeverity = .warning
    ) -> AlertCondition {
        let b = breach(report)
        let side = b?.side ?? .long
        let f = report[side, .maintenance].last250
        var d = AlertDetails()
        d.side = side.rawValue
        var figures: [String: Double] = ["skippedWindows": Double(report.skipped), "coverage": report.coverage]
        for s in MarginSide.allCases {
            let g = report[s, .maintenance].last250
            let n = s.rawValue
            figures[n + "Windows"] = Double(g.windows)
            figures[n + "Exceptions"] = Double(g.exceptions)
            figures[n + "ExpectedExceptions"] = g.expected
            figures[n + "KupiecP"] = g.kupiecP
            figures[n + "ConditionalLR"] = g.conditionalLR
            figures[n + "ConditionalP"] = g.conditionalP
        }
        d.figures = figures
        let summary =
            b == nil
            ? "\(market) margin model back within its coverage on both sides"
            : "\(market) margin model fails its backtest on the \(side.rawValue) side: \(f.exceptions) exception\(f.exceptions == 1 ? "" : "s") in "
                + "the last \(f.windows) windows (expected \(FixedDecimal.text(f.expected, decimals: 2))), Basel zone "
                + "\(f.zone?.rawValue ?? "unrated"), LR_cc \(FixedDecimal.text(f.conditionalLR, decimals: 2)); "
                + "the margin is too thin for this market's moves"
        return AlertCondition(
            type: type,
            market: market,
            active: b != nil,
            severity: b?.severity ?? inactiveSeverity,
            summary: summary,
            details: d
        )
    }
}
