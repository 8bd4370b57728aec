import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire

/// Why one poll of one source produced no price. Never thrown as a crash; always reported.
public struct FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable category.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Non-2xx HTTP status other than the ones below.
        case httpStatus = "http_status"
        /// HTTP 429; `retryAfterSeconds` says how long the venue asked us to wait.
        case rateLimited = "rate_limited"
        /// The venue refuses this region (Binance 451, Bybit 403).
        case geoBlocked = "geo_blocked"
        /// Body is not the expected JSON: HTML page, empty, truncated, wrong shape, too large.
        case badBody = "bad_body"
        /// The venue answered in its format but reported an error (Kraken `error`, OKX `code`, Bybit `retCode`, JSON-RPC `error`).
        case venueError = "venue_error"
        /// Price zero, negative, NaN, infinite or absurd.
        case badPrice = "bad_price"
        /// The source's own timestamp is too old (Chainlink heartbeat exceeded).
        case stale
        /// The whole request (headers and body) did not finish within the source's timeout.
        case timeout
        /// Connection refused, reset, DNS, TLS ...
        case transport
        /// The source is misconfigured (missing symbol, bad URL).
        case config
    }

    public var kind: Kind
    /// Human-readable explanation, safe to show in the API.
    public var message: String
    /// HTTP status when the failure came with one.
    public var status: Int?
    /// Seconds the venue asked us to wait (from `Retry-After`), for `rateLimited`.
    public var retryAfterSeconds: Double?

    public init(_ kind: Kind, _ message: String, status: Int? = nil, retryAfterSeconds: Double? = nil) {
        self.kind = kind
        self.message = Self.printable(message)
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Longest message kept, characters.
    static let maxMessageLength = 500

    /// `text` safe for one log line and the API: control characters (line breaks, escape
    /// sequences, NUL), and direction overrides written as `\u{..}` (messages quote venue
    /// answers, and a venue must not forge log lines), cut to `maxMessageLength`.
    static func printable(_ text: String) -> String {
        PrintableText.escaped(text, limit: maxMessageLength)
    }

    public var code: String { kind.rawValue }
    public var description: String { message }

    static func badBody(_ m: String) -> FeedError { FeedError(.badBody, m) }
    static func badPrice(_ m: String) -> FeedError { FeedError(.badPrice, m) }
    static func venue(_ m: String) -> FeedError { FeedError(.venueError, m) }
    static func config(_ m: String) -> FeedError { FeedError(.config, m) }
}
