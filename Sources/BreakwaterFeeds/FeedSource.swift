public import BreakwaterConfig

/// What a poller needs to know about one configured source. Built from `SourceConfig`.
public struct FeedSource: Sendable, Equatable {
    public var market: String
    public var id: String
    public var kind: SourceKind
    /// Venue symbol or Pyth feed id.
    public var symbol: String?
    /// Poll interval and request timeout, seconds.
    public var intervalSeconds: Double
    public var timeoutSeconds: Double
    /// Base URL override without a trailing slash (nil: the venue's public default).
    public var baseURL: String?
    public var rpcURL: String?
    public var address: String?
    /// Chainlink: maximum age of `updatedAt`, seconds.
    public var heartbeatSeconds: Double?
    public var url: String?
    public var pricePointer: String?
    public var timestampPointer: String?
    public var confidencePointer: String?

    public init(
        market: String,
        id: String,
        kind: SourceKind,
        symbol: String? = nil,
        intervalSeconds: Double = 2,
        timeoutSeconds: Double = 5,
        baseURL: String? = nil,
        rpcURL: String? = nil,
        address: String? = nil,
        heartbeatSeconds: Double? = nil,
        url: String? = nil,
        pricePointer: String? = nil,
        timestampPointer: String? = nil,
        confidencePointer: String? = nil
    ) {
        self.market = market
        self.id = id
        self.kind = kind
        self.symbol = symbol
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.baseURL = baseURL.map(Self.trimSlash)
        self.rpcURL = rpcURL
        self.address = address
        self.heartbeatSeconds = heartbeatSeconds
        self.url = url
        self.pricePointer = pricePointer
        self.timestampPointer = timestampPointer
        self.confidencePointer = confidencePointer
    }

    public init(market: String, config s: SourceConfig) {
        self.init(
            market: market,
            id: s.id,
            kind: s.kind,
            symbol: s.symbol,
            intervalSeconds: Double(s.intervalMs) / 1000,
            timeoutSeconds: Double(s.timeoutMs) / 1000,
            baseURL: s.baseURL,
            rpcURL: s.rpcURL,
            address: s.address,
            heartbeatSeconds: s.heartbeatSeconds,
            url: s.url,
            pricePointer: s.pricePointer,
            timestampPointer: s.timestampPointer,
            confidencePointer: s.confidencePointer
        )
    }

    /// The configured base URL, or `defaultBase`.
    func base(_ defaultBase: String) -> String { baseURL ?? defaultBase }

    /// The symbol, or a config error naming the source.
    func requireSymbol() throws -> String {
        guard let s = symbol, !s.isEmpty else {
            throw FeedError.config("source \(id) (\(kind.rawValue)) has no symbol")
        }
        return s
    }

    static func trimSlash(_ s: String) -> String {
        var s = s
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }
}

/// Percent-encodes a value for a URL path segment or query value (RFC 3986 unreserved kept).
func urlEncode(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(b))
        default:
            let hex = Array("0123456789ABCDEF".utf8)
            out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
        }
    }
    return out
}
