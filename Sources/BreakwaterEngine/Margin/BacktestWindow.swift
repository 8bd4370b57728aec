/// One closed backtest window [start, end] of a market: the price and the margins published at
/// its start and the price at its end; or a skipped window (no trusted price within the market's
/// max age of its end, `endPrice` nil), which is counted and never compared.
/// Times are epoch seconds on the sampling grid; margins fractions of notional.
public struct BacktestWindow: Sendable, Equatable {
    public var start: EpochSeconds
    public var end: EpochSeconds
    public var startPrice: Double
    public var endPrice: Double?
    public var margins: PublishedMargins

    public init(
        start: EpochSeconds,
        end: EpochSeconds,
        startPrice: Double,
        endPrice: Double?,
        margins: PublishedMargins
    ) {
        self.start = start
        self.end = end
        self.startPrice = startPrice
        self.endPrice = endPrice
        self.margins = margins
    }

    public var skipped: Bool { endPrice == nil }

    /// The loss of `side` over the window as a fraction of the start price: (P_t - P_t+h) / P_t
    /// for a long, the opposite for a short; nil for a skipped window.
    public func loss(_ side: MarginSide) -> Double? {
        guard let endPrice else { return nil }
        let fall = (startPrice - endPrice) / startPrice
        return side == .long ? fall : -fall
    }

    /// True when `side`'s loss exceeded its margin at `level`; nil for a skipped window.
    public func isException(_ side: MarginSide, _ level: MarginLevel) -> Bool? {
        loss(side).map { $0 > margins[side, level] }
    }
}
