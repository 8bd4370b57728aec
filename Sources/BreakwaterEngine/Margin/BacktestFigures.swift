/// What a backtest says about one side at one margin level over a span of windows: the count
/// of exceptions against the expected one, Kupiec's LR_uc, Christoffersen's LR_ind and
/// LR_cc = LR_uc + LR_ind with their p-values (chi2(1), chi2(1), chi2(2)), and the Basel zone
/// (nil while fewer windows than `BaselZone.minimumWindows` are in the span).
public struct BacktestFigures: Sendable, Equatable {
    public var windows: Int
    public var exceptions: Int
    /// windows x p.
    public var expected: Double
    public var kupiecLR: Double
    public var kupiecP: Double
    public var independenceLR: Double
    public var independenceP: Double
    public var conditionalLR: Double
    public var conditionalP: Double
    public var zone: BaselZone?

    /// The figures of `exceptions` in `windows` with `transitions`, at promised probability `p`.
    public init(windows: Int, exceptions: Int, transitions: HitTransitions, p: Double) {
        self.windows = windows
        self.exceptions = exceptions
        expected = Double(windows) * p
        kupiecLR = CoverageTests.kupiecLR(exceptions: exceptions, windows: windows, p: p)
        kupiecP = CoverageTests.chiSquared1Survival(kupiecLR)
        independenceLR = CoverageTests.independenceLR(transitions)
        independenceP = CoverageTests.chiSquared1Survival(independenceLR)
        conditionalLR = kupiecLR + independenceLR
        conditionalP = CoverageTests.chiSquared2Survival(conditionalLR)
        zone = BaselZone.of(exceptions: exceptions, windows: windows, p: p)
    }
}
