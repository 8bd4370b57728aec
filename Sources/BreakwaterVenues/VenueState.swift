import BreakwaterEngine

/// The mutable state of all simulated venues: prices, modes, request counters. An actor, so tests,
/// the demo script and request handlers may touch it concurrently.
public actor VenueState {
    private var prices: [Venue: [String: Double]] = [:]
    private var modes: [Venue: VenueMode] = [:]
    private var frozen: [Venue: (at: Double, prices: [String: Double])] = [:]
    private var counts: [Venue: Int] = [:]
    private var agents: [Venue: String] = [:]
    private let clock: @Sendable () -> EpochSeconds
    /// Every venue's bid-ask spread, as a fraction of the price (2 bp).
    private static let spread = 0.0002

    init(clock: @escaping @Sendable () -> EpochSeconds) { self.clock = clock }

    /// Canonical key of a symbol: Pyth ids and Chainlink addresses lower-case without `0x`, others upper-case.
    static func key(_ venue: Venue, _ symbol: String) -> String {
        switch venue {
        case .pyth, .chainlink:
            let l = symbol.lowercased()
            return l.hasPrefix("0x") ? String(l.dropFirst(2)) : l
        default:
            return symbol.uppercased()
        }
    }

    /// Sets the synthetic price of `symbol` (venue spelling: `BTC-USD`, `XBTUSD`, `BTCUSDT`, a Pyth feed id, an aggregator address).
    public func setPrice(_ price: Double, venue: Venue, symbol: String) {
        prices[venue, default: [:]][Self.key(venue, symbol)] = price
    }

    /// Sets how `venue` answers. Entering `.frozen` captures the current prices and time.
    public func setMode(_ mode: VenueMode, venue: Venue) {
        if mode == .frozen, modes[venue] != .frozen { frozen[venue] = (clock(), prices[venue] ?? [:]) }
        if mode != .frozen { frozen[venue] = nil }
        modes[venue] = mode
    }

    /// Sets every venue's mode.
    public func setModeAll(_ mode: VenueMode) { for v in Venue.allCases { setMode(mode, venue: v) } }

    public func mode(_ venue: Venue) -> VenueMode { modes[venue] ?? .normal }

    /// Requests served by `venue` since start (Binance counts price and book requests separately).
    public func requestCount(_ venue: Venue) -> Int { counts[venue] ?? 0 }

    /// The `User-Agent` of the last request to `venue`.
    public func lastUserAgent(_ venue: Venue) -> String? { agents[venue] }

    func record(_ venue: Venue, userAgent: String?) {
        counts[venue, default: 0] += 1
        if let userAgent { agents[venue] = userAgent }
    }

    /// The answer for `symbol` now, or nil for an unknown symbol.
    func tick(_ venue: Venue, _ symbol: String) -> VenueTick? {
        let key = Self.key(venue, symbol)
        var time = clock()
        var price = prices[venue]?[key]
        if let f = frozen[venue] {
            time = f.at
            price = f.prices[key] ?? price
        }
        guard var price else { return nil }
        if case let .badPrice(p) = mode(venue) { price = p }
        let half = Self.spread / 2
        return VenueTick(
            price: price,
            bid: price * (1 - half),
            ask: price * (1 + half),
            confidence: abs(price) * 0.0005,
            time: time
        )
    }
}
