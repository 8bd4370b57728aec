import BreakwaterConfig
import BreakwaterEngine

/// One HTTP request of a poll.
public struct FeedRequest: Sendable, Equatable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
    }
    public var method: Method
    public var url: String
    /// JSON body for POST requests.
    public var body: [UInt8]?

    public static func get(_ url: String) -> FeedRequest { FeedRequest(method: .get, url: url, body: nil) }
    public static func post(_ url: String, json: String) -> FeedRequest {
        FeedRequest(method: .post, url: url, body: Array(json.utf8))
    }
}

/// A venue format: which requests one poll makes and how their bodies become a quote.
///
/// `decode` is pure: same bytes and `now` give the same quote or the same error.
protocol FeedAdapter: Sendable {
    /// The requests of one poll, made in order; all must succeed.
    static func requests(for source: FeedSource) throws -> [FeedRequest]
    /// Decodes the bodies (in request order). `now` is the local clock, epoch seconds (for staleness checks).
    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote
}

enum Adapters {
    /// The adapter of a kind; nil for `push` (prices arrive over HTTP, nothing to poll).
    static func adapter(for kind: SourceKind) -> (any FeedAdapter.Type)? {
        switch kind {
        case .coinbase: CoinbaseAdapter.self
        case .coinbaseExchange: CoinbaseExchangeAdapter.self
        case .kraken: KrakenAdapter.self
        case .binance: BinanceAdapter.self
        case .bitstamp: BitstampAdapter.self
        case .okx: OKXAdapter.self
        case .bybit: BybitAdapter.self
        case .pyth: PythAdapter.self
        case .chainlink: ChainlinkAdapter.self
        case .json: JSONPointerAdapter.self
        case .push: nil
        }
    }

    /// The body at `index`, or a bad-body error when a poll returned fewer bodies than requests.
    static func body(_ bodies: [[UInt8]], _ index: Int, venue: String) throws -> [UInt8] {
        guard index < bodies.count else { throw FeedError.badBody("\(venue): missing response \(index + 1)") }
        return bodies[index]
    }
}
