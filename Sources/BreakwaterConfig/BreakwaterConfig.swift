public import BreakwaterEngine
public import BreakwaterStress
public import BreakwaterSystemic

/// The validated configuration of a Breakwater instance (`config.json`).
///
/// Units: keys ending in `Ms` are milliseconds, in `Seconds` seconds; fractions are
/// fractions (0.05 = 5 %). Secrets are never in the file: keys ending in `Env` name the
/// environment variable that holds them.
public struct BreakwaterConfig: Sendable {
    public var server: ServerConfig
    public var storage: StorageConfig
    public var markets: [MarketConfig]
    public var alerts: AlertsConfig
    /// The stress pass (positions, cascades, insurance fund); the defaults when left out.
    public var stress = StressConfig()
    /// The cross-market view (correlation regime); the defaults when the block is left out.
    public var systemic = SystemicParameters()

    public init(server: ServerConfig, storage: StorageConfig, markets: [MarketConfig], alerts: AlertsConfig) {
        self.server = server
        self.storage = storage
        self.markets = markets
        self.alerts = alerts
    }

    /// The markets as the engine takes them (normalizeBy resolved to indices).
    public func engineMarkets() -> [MarketParameters] {
        let index = Dictionary(uniqueKeysWithValues: markets.enumerated().map { ($1.id, $0) })
        return markets.map { m in
            MarketParameters(
                id: m.id,
                sources: m.sources.map {
                    SourceParameters(
                        id: $0.id,
                        kind: $0.kind.rawValue,
                        normalizeBy: $0.normalizeBy.flatMap { index[$0] }
                    )
                },
                aggregation: m.aggregation,
                margin: m.margin,
                breaker: m.breaker
            )
        }
    }
}

public struct ServerConfig: Sendable, Equatable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// How far ahead of this machine's clock a quote may be stamped, milliseconds.
    public var clockSkewMs: Int = 5000
    /// How often the engine is advanced, milliseconds.
    public var tickMs: Int = 250
    /// Environment variable holding the admin bearer token (halt, resume, source enable/disable).
    public var adminTokenEnv: String? = "BREAKWATER_ADMIN_TOKEN"
    /// Environment variable holding a bearer token for read endpoints, when `protectReads`.
    public var readTokenEnv: String?
    /// Environment variable holding the bearer token that may post position snapshots
    /// (`POST /v1/positions`); none: the route answers 403.
    public var positionsTokenEnv: String?
    /// When true, read endpoints (markets, health, metrics, status page) need the read or admin token.
    public var protectReads: Bool = false
    /// Base URL this instance is reachable at, for links in alerts.
    public var publicURL: String?
    /// Requests per second each push source may send (`POST /v1/prices`), burst twice that; beyond: 429.
    public var pushRequestsPerSecond: Double = 1000
    /// Requests per second the admin token may send (halt, resume, sources, test alerts); beyond: 429.
    public var adminRequestsPerSecond: Double = 10
    /// Most client connections open at once; a connection beyond it is closed on arrival while
    /// the open ones keep being served. Keep it under the process's file-descriptor limit.
    public var maxConnections: Int = 4096

    public init() {}
}

/// Which database holds the durable state.
public enum StorageKind: String, Sendable, Equatable, CaseIterable {
    /// One SQLite file, for one process (the embedded default).
    case sqlite
    /// A PostgreSQL database shared by several replicas.
    case postgres
}

public struct StorageConfig: Sendable, Equatable {
    public var kind: StorageKind = .sqlite
    /// SQLite database file (created when missing); kind sqlite only.
    public var path: String = "data/breakwater.sqlite"
    /// The environment variable holding the PostgreSQL URL
    /// (`postgres://user:password@host:port/database`); kind postgres only.
    public var urlEnv: String = "BREAKWATER_DATABASE_URL"
    /// Days a resolved alert and a finished delivery (with its attempts) are kept after their
    /// last change; pending deliveries and firing alerts are kept whatever their age. 1...3650.
    public var retentionDays: Int = 30

    public init(
        kind: StorageKind = .sqlite,
        path: String = "data/breakwater.sqlite",
        urlEnv: String = "BREAKWATER_DATABASE_URL",
        retentionDays: Int = 30
    ) {
        self.kind = kind
        self.path = path
        self.urlEnv = urlEnv
        self.retentionDays = retentionDays
    }
}

/// The adapter that produces a source's quotes.
public enum SourceKind: String, Sendable, CaseIterable, Codable {
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
    /// Prices are pushed over `POST /v1/prices`.
    case push

    /// Kinds that need `symbol`.
    public var needsSymbol: Bool {
        switch self {
        case .coinbase, .coinbaseExchange, .kraken, .binance, .bitstamp, .okx, .bybit, .pyth: true
        case .chainlink, .json, .push: false
        }
    }
}

public struct SourceConfig: Sendable, Equatable {
    public var id: String
    public var kind: SourceKind
    /// Venue symbol (`BTC-USD`, `XBTUSD`, `BTCUSDT`), or the Pyth feed id.
    public var symbol: String?
    /// Poll interval, milliseconds.
    public var intervalMs: Int
    /// Request timeout, milliseconds.
    public var timeoutMs: Int
    /// Overrides the venue's public base URL (tests, demos, self-hosted mirrors).
    public var baseURL: String?
    /// Id of the market whose aggregate converts this source's prices (e.g. USDT-USD).
    public var normalizeBy: String?
    /// Push sources: environment variable with the bearer token that may write this source.
    public var tokenEnv: String?
    /// Chainlink: JSON-RPC endpoint, aggregator proxy address, heartbeat in seconds.
    public var rpcURL: String?
    public var address: String?
    public var heartbeatSeconds: Double?
    /// JSON sources: URL and JSON pointers to the price, timestamp and confidence.
    public var url: String?
    public var pricePointer: String?
    public var timestampPointer: String?
    public var confidencePointer: String?

    public init(
        id: String,
        kind: SourceKind,
        symbol: String? = nil,
        intervalMs: Int = 2000,
        timeoutMs: Int = 5000,
        baseURL: String? = nil,
        normalizeBy: String? = nil,
        tokenEnv: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.symbol = symbol
        self.intervalMs = intervalMs
        self.timeoutMs = timeoutMs
        self.baseURL = baseURL
        self.normalizeBy = normalizeBy
        self.tokenEnv = tokenEnv
    }
}

public struct MarketConfig: Sendable, Equatable {
    public var id: String
    public var sources: [SourceConfig]
    public var aggregation: AggregationParameters
    public var margin: MarginParameters
    public var breaker: BreakerParameters
    /// Depth for the price impact of liquidations; a positions snapshot's own wins.
    public var liquidity: MarketLiquidity?

    public init(
        id: String,
        sources: [SourceConfig],
        aggregation: AggregationParameters,
        margin: MarginParameters,
        breaker: BreakerParameters
    ) {
        self.id = id
        self.sources = sources
        self.aggregation = aggregation
        self.margin = margin
        self.breaker = breaker
    }
}

/// Alert destination formats.
public enum WebhookFormat: String, Sendable, CaseIterable, Codable {
    case standard
    case alertmanager
    case slack
    case pagerduty
}

public enum AlertSeverity: String, Sendable, CaseIterable, Codable, Comparable {
    case info
    case warning
    case critical

    var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }
    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool { a.rank < b.rank }
}

public struct WebhookConfig: Sendable, Equatable {
    public var id: String
    /// Where to POST; empty when `urlEnv` names a variable that is not set.
    public var url: String
    /// The environment variable holding the URL, when the URL is a secret (Slack's).
    public var urlEnv: String?
    public var format: WebhookFormat
    /// Standard Webhooks: env variable with the `whsec_...` secret.
    public var secretEnv: String?
    /// PagerDuty: env variable with the routing key.
    public var routingKeyEnv: String?
    /// Only these markets / alert types (nil: all).
    public var markets: [String]?
    public var types: [String]?
    public var minSeverity: AlertSeverity = .info
    public var timeoutMs: Int = 5000
    /// Alertmanager: re-post firing alerts this often, seconds.
    public var resendSeconds: Double = 60
}

public struct AlertsConfig: Sendable, Equatable {
    public var webhooks: [WebhookConfig] = []
    /// A published maintenance margin move larger than this (relative fraction) notifies.
    public var marginStep: Double = 0.1
    /// A firing alert is re-sent this often while it keeps firing, seconds.
    public var repeatIntervalSeconds: Double = 3600
    /// Delivery attempts before a notification is marked failed.
    public var maxAttempts: Int = 8
    /// A source must stay degraded (stale, error, outlier) this long before `source.degraded`
    /// fires, seconds; 0 fires at once. Sources updated one by one are briefly outliers in a
    /// fast move, which would page and resolve within milliseconds.
    public var sourceDegradedForSeconds: Double = 10

    public init(webhooks: [WebhookConfig] = []) { self.webhooks = webhooks }
}
