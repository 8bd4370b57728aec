public import BreakwaterConfig
public import BreakwaterEngine
public import BreakwaterStore

#if canImport(FoundationEssentials)
import BreakwaterWire
import FoundationEssentials
#else
import Foundation
#endif

/// The data behind an alert. Prices are in the market's quote currency; margins and band are fractions.
public struct AlertDetails: Sendable, Equatable, Codable {
    public struct SourceInfo: Sendable, Equatable, Codable {
        public var id: String
        public var status: String
        public var price: Double?
        /// Relative deviation from the median (fraction).
        public var deviation: Double?
        public var error: String?
    }

    public var state: String?
    public var fromState: String?
    public var reasons: [String] = []
    public var price: Double?
    /// While `price` is null (the market has no price): the last price it had and its time
    /// (RFC 3339), never in `price` itself.
    public var lastGoodPrice: Double?
    public var lastGoodPriceTime: String?
    public var reference: Double?
    public var lower: Double?
    public var upper: Double?
    public var trading: String?
    public var liquidations: String?
    public var sources: [SourceInfo]?
    public var sourceStatus: String?
    public var maintenanceMargin: Double?
    public var previousMargin: Double?
    public var medianSpread: Double?
    /// When the breaker state ends by itself (a halt's end), RFC 3339; nil when it does not.
    public var until: String?
    public var message: String?
    /// The side a condition concerns (`long` or `short`), for alerts about one side of a market.
    public var side: String?
    /// Named figures behind an alert that is not about one price (a backtest, the correlation
    /// regime, stress): each name says its unit (`averageCorrelation`, `badDebtUSD`, `kupiecP`).
    public var figures: [String: Double]?

    public init() {}

    /// As synthesized, except that `price` is always written: a number, or null when the market
    /// had none (a missing key would read as "not reported", not as "no price").
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(state, forKey: .state)
        try c.encodeIfPresent(fromState, forKey: .fromState)
        try c.encode(reasons, forKey: .reasons)
        try c.encode(price, forKey: .price)
        try c.encodeIfPresent(lastGoodPrice, forKey: .lastGoodPrice)
        try c.encodeIfPresent(lastGoodPriceTime, forKey: .lastGoodPriceTime)
        try c.encodeIfPresent(reference, forKey: .reference)
        try c.encodeIfPresent(lower, forKey: .lower)
        try c.encodeIfPresent(upper, forKey: .upper)
        try c.encodeIfPresent(trading, forKey: .trading)
        try c.encodeIfPresent(liquidations, forKey: .liquidations)
        try c.encodeIfPresent(sources, forKey: .sources)
        try c.encodeIfPresent(sourceStatus, forKey: .sourceStatus)
        try c.encodeIfPresent(maintenanceMargin, forKey: .maintenanceMargin)
        try c.encodeIfPresent(previousMargin, forKey: .previousMargin)
        try c.encodeIfPresent(medianSpread, forKey: .medianSpread)
        try c.encodeIfPresent(until, forKey: .until)
        try c.encodeIfPresent(message, forKey: .message)
        try c.encodeIfPresent(side, forKey: .side)
        try c.encodeIfPresent(figures, forKey: .figures)
    }
}

/// An alert: a condition with a lifecycle (`firing` then `resolved`), identified across notifications by `fingerprint`.
public struct Alert: Sendable, Equatable {
    public var id: String
    public var fingerprint: String
    public var type: String
    public var market: String
    public var source: String?
    public var severity: AlertSeverity
    public var status: AlertStatus
    /// Epoch seconds.
    public var startsAt: EpochSeconds
    public var endsAt: EpochSeconds?
    public var summary: String
    public var details: AlertDetails
    /// Last change or notification, epoch seconds.
    public var updatedAt: EpochSeconds

    /// `margin.changed` and `test` are one-shot notifications: they never resolve and get no reminders.
    public var isNotification: Bool { type == AlertType.marginChanged || type == AlertType.test }

    public var record: AlertRecord {
        AlertRecord(
            id: id,
            fingerprint: fingerprint,
            type: type,
            market: market,
            source: source,
            severity: severity.rawValue,
            status: status,
            startsAt: startsAt,
            endsAt: endsAt,
            summary: summary,
            data: String(decoding: WireJSON.encode(details), as: UTF8.self),
            updatedAt: updatedAt
        )
    }

    public init(
        id: String,
        fingerprint: String,
        type: String,
        market: String,
        source: String?,
        severity: AlertSeverity,
        status: AlertStatus,
        startsAt: EpochSeconds,
        endsAt: EpochSeconds?,
        summary: String,
        details: AlertDetails,
        updatedAt: EpochSeconds
    ) {
        self.id = id
        self.fingerprint = fingerprint
        self.type = type
        self.market = market
        self.source = source
        self.severity = severity
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.summary = summary
        self.details = details
        self.updatedAt = updatedAt
    }

    /// Rebuilds an alert from storage.
    public init(record r: AlertRecord) {
        let details = (try? JSONDecoder().decode(AlertDetails.self, from: Data(r.data.utf8))) ?? AlertDetails()
        self.init(
            id: r.id,
            fingerprint: r.fingerprint,
            type: r.type,
            market: r.market,
            source: r.source,
            severity: AlertSeverity(rawValue: r.severity) ?? .warning,
            status: r.status,
            startsAt: r.startsAt,
            endsAt: r.endsAt,
            summary: r.summary,
            details: details,
            updatedAt: r.updatedAt
        )
    }
}

/// Alert type names (dotted, Standard Webhooks style).
public enum AlertType {
    public static let limit = "breaker.limit"
    public static let halted = "breaker.halted"
    public static let quorumLost = "market.quorum_lost"
    public static let divergence = "market.divergence"
    public static let spreadWide = "market.spread_wide"
    public static let sourceDegraded = "source.degraded"
    public static let marginChanged = "margin.changed"
    public static let test = "test"
    /// The market id of alerts about the whole system (the correlation regime, the insurance
    /// fund): not a configured market, which never starts with `*`.
    public static let systemMarket = "*"

    /// Fingerprint: market + type, plus source for `source.degraded`.
    public static func fingerprint(market: String, type: String, source: String? = nil) -> String {
        source.map { "\(market)/\(type)/\($0)" } ?? "\(market)/\(type)"
    }
}

/// Why a notification is sent.
public enum NoticeKind: String, Sendable, Codable {
    case firing
    /// The condition is still firing; sent every repeat interval.
    case reminder
    case resolved
}

/// One notification of an alert at `time` (epoch seconds).
public struct Notice: Sendable, Equatable {
    public var alert: Alert
    public var kind: NoticeKind
    public var time: EpochSeconds
}
