import BreakwaterConfig

extension AlertType {
    /// The markets move together: the absorption ratio's shift reached `systemic.shiftSigma` or
    /// the average pairwise correlation reached `systemic.maxAverageCorrelation`.
    public static let correlationRegime = "system.correlation_regime"
}

extension AlertCondition {
    /// The `system.correlation_regime` condition (market `*`, severity warning): active while
    /// `fragile`, with the figures behind it (`averageCorrelation` and `absorptionRatio` as
    /// fractions, `absorptionShiftSigma` in standard deviations, `markets` a count, the two
    /// thresholds). Figures that are not known are left out.
    public static func correlationRegime(
        fragile: Bool,
        averageCorrelation: Double?,
        absorptionRatio: Double?,
        absorptionShift: Double?,
        markets: Int,
        shiftSigma: Double,
        maxAverageCorrelation: Double
    ) -> AlertCondition {
        var figures: [String: Double] = [
            "markets": Double(markets), "shiftSigmaThreshold": shiftSigma,
            "maxAverageCorrelationThreshold": maxAverageCorrelation,
        ]
        figures["averageCorrelation"] = averageCorrelation
        figures["absorptionRatio"] = absorptionRatio
        figures["absorptionShiftSigma"] = absorptionShift
        var details = AlertDetails()
        details.figures = figures
        return AlertCondition(
            type: AlertType.correlationRegime,
            market: AlertType.systemMarket,
            active: fragile,
            severity: .warning,
            summary: "\(markets) markets move together: average correlation \(AlertRules.fmt(averageCorrelation)) "
                + "(limit \(AlertRules.fmt(maxAverageCorrelation))), absorption ratio shift "
                + "\(AlertRules.fmt(absorptionShift)) sd (limit \(AlertRules.fmt(shiftSigma)))",
            details: details
        )
    }
}
