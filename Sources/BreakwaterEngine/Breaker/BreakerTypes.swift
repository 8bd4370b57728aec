/// The breaker's state; the most severe active condition wins (halted > limit > normal).
public enum BreakerState: String, Sendable, Codable, CaseIterable, Comparable {
    case normal
    /// Restricted: outside the price band, oracle untrusted, or warming up.
    case limit
    case halted

    var severity: Int {
        switch self {
        case .normal: 0
        case .limit: 1
        case .halted: 2
        }
    }

    public static func < (a: BreakerState, b: BreakerState) -> Bool { a.severity < b.severity }
}

/// Machine-readable reason codes for a breaker state.
public enum ReasonCode: String, Sendable, Codable, CaseIterable {
    case manual
    case velocity
    case priceBand = "price_band"
    case quorumLost = "quorum_lost"
    case divergence
    case warming
}

/// What keepers should do about trading.
public enum TradingAction: String, Sendable, Codable {
    case open
    case reduceOnly = "reduce-only"
    case halted
}

/// What keepers should do about liquidations.
public enum LiquidationAction: String, Sendable, Codable {
    case enabled
    /// Liquidate in small increments: dumping everything into a crash is the cascade.
    case staged
    /// A wrong price liquidates healthy accounts: do not liquidate.
    case paused
}

/// The recommended actions for a market.
public struct MarketActions: Sendable, Equatable, Codable {
    public var trading: TradingAction
    public var liquidations: LiquidationAction
}

/// Whether the aggregate can be trusted right now.
public enum OracleHealth: String, Sendable, Codable {
    case ok
    case quorumLost = "quorum_lost"
    case divergence
}

/// A manual halt set by an operator.
public struct ManualHalt: Sendable, Equatable, Codable {
    public var reason: String
    public var by: String
    public var since: EpochSeconds
    /// When the halt ends by itself; `nil` halts until resumed.
    public var until: EpochSeconds?

    public init(reason: String, by: String, since: EpochSeconds, until: EpochSeconds?) {
        self.reason = reason
        self.by = by
        self.since = since
        self.until = until
    }
}
