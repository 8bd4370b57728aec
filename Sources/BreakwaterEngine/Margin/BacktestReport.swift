/// A market's backtest as read out: per side and margin level, the figures over the whole
/// history and over the last 250 windows; the windows compared and skipped; the parameters.
public struct BacktestReport: Sendable, Equatable {
    /// The figures of one side at one level.
    public struct Spans: Sendable, Equatable {
        public var wholeHistory: BacktestFigures
        public var last250: BacktestFigures
    }

    public var windows: Int
    public var skipped: Int
    /// Seconds (whole grid steps).
    public var horizonSeconds: Double
    public var coverage: Double
    /// The exception probability each side is judged against (`MarginBacktest.p`).
    public var p: Double
    /// End of the last window closed or skipped, epoch seconds.
    public var lastEnd: EpochSeconds?
    private var spans: [Spans]

    public init(_ b: MarginBacktest) {
        windows = b.windows
        skipped = b.skipped
        horizonSeconds = b.horizonSeconds
        coverage = b.coverage
        p = b.p
        lastEnd = b.lastEnd
        spans = MarginSide.allCases.flatMap { side in
            MarginLevel.allCases.map { level in
                let r = b.record(side, level)
                return Spans(wholeHistory: r.wholeHistory(p: b.p), last250: r.last250(p: b.p))
            }
        }
    }

    /// The figures of `side` at `level`.
    public subscript(side: MarginSide, level: MarginLevel) -> Spans {
        spans[(side == .long ? 0 : 2) + (level == .maintenance ? 0 : 1)]
    }
}
