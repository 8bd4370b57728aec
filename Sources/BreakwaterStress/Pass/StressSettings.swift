/// What a full stress pass computes.
///
/// Invariants: shocks in (0, 1); adlTop >= 0; tolerance > 0.
public struct StressSettings: Sendable, Equatable {
    /// Shocks run each way in every market, fractions (default 5, 10, 20 %).
    public var shocks: [Double]
    /// Impact models the cascades and searches are run with (both by default: they disagree).
    public var impactModels: [ImpactModel]
    /// Width the depletion bisections stop at, fraction.
    public var tolerance: Double

    public static let defaultShocks = [0.05, 0.10, 0.20]

    public init(
        shocks: [Double] = StressSettings.defaultShocks,
        impactModels: [ImpactModel] = ImpactModel.allCases,
        tolerance: Double = 1e-6
    ) {
        self.shocks = shocks
        self.impactModels = impactModels
        self.tolerance = tolerance
    }
}
