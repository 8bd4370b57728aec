/// The venues `SimulatedVenues` imitates, named like config `kind`s.
public enum Venue: String, Sendable, CaseIterable, Hashable {
    case coinbase
    case coinbaseExchange = "coinbase-exchange"
    case kraken
    case binance
    case bitstamp
    case okx
    case bybit
    case pyth
    case chainlink
    case json
}

/// How a simulated venue answers, set at runtime per venue.
public enum VenueMode: Sendable, Equatable {
    /// Real-format answers with the current synthetic price and the current time.
    case normal
    /// Keeps answering the price it had when frozen, with the timestamp of that moment.
    case frozen
    /// An HTML error page with this status (e.g. 502 from a CDN).
    case htmlError(status: Int)
    /// HTTP 429 with `Retry-After: <seconds>`.
    case rateLimited(retryAfterSeconds: Int)
    /// HTTP 500 with a short JSON body.
    case serverError
    /// HTTP 200 with an empty body.
    case emptyBody
    /// HTTP 200 with the real body cut in the middle.
    case truncatedJSON
    /// HTTP 200 with a JSON body of about this many bytes.
    case oversizeBody(bytes: Int)
    /// The real body, sent at this many bytes per second.
    case trickle(bytesPerSecond: Double)
    /// Waits this many seconds, then answers normally.
    case hang(seconds: Double)
    /// Binance 451, Bybit 403 (their real geo-block answers); other venues 403.
    case geoBlocked
    /// The venue's own error envelope (Kraken `error`, OKX `code`, Bybit `retCode`, JSON-RPC `error` ...).
    case venueError
    /// Real format, but this price instead of the configured one (NaN, negative, zero).
    case badPrice(Double)
}

/// What a route needs to render one answer.
struct VenueTick: Sendable {
    /// Synthetic price, bid and ask in the venue's quote currency.
    var price: Double
    var bid: Double
    var ask: Double
    /// Confidence half-width (Pyth), price units.
    var confidence: Double
    /// Timestamp the venue reports, epoch seconds.
    var time: Double
}
