public import BreakwaterEngine

/// One decoded observation from one source, before the engine sees it.
///
/// Prices are in the venue's quote currency (USD for Coinbase, USDT for Binance ...).
public struct FeedQuote: Sendable, Equatable {
    /// Last / reference price, finite and > 0.
    public var price: Double
    /// Confidence half-width in price units (Pyth `conf`, or a JSON pointer), if given.
    public var confidence: Double?
    /// Best bid and ask in price units, if the venue gives them. The server derives the spread.
    public var bid: Double?
    public var ask: Double?
    /// The venue's own timestamp (epoch seconds), if the format has one; nil means "use receive time".
    public var time: EpochSeconds?

    public init(
        price: Double,
        confidence: Double? = nil,
        bid: Double? = nil,
        ask: Double? = nil,
        time: EpochSeconds? = nil
    ) {
        self.price = price
        self.confidence = confidence
        self.bid = bid
        self.ask = ask
        self.time = time
    }

    /// Bid-ask spread as a fraction of the mid (0.001 = 10 bp), when both sides are present and sane.
    public var relativeSpread: Double? {
        guard let bid, let ask, bid > 0, ask >= bid else { return nil }
        let mid = (bid + ask) / 2
        return (ask - bid) / mid
    }
}
