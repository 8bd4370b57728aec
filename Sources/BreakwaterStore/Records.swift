public import BreakwaterEngine
import Foundation
public import GRDB

/// Whether an alert's condition still holds.
public enum AlertStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case firing
    case resolved
}

/// Where one notification stands in the outbox.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case pending
    case delivered
    case failed
}

/// One alert as stored. `data` is JSON text; times are epoch seconds.
public struct AlertRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "alert"
    public var id: String
    public var fingerprint: String
    public var type: String
    public var market: String
    public var source: String?
    /// critical, warning or info.
    public var severity: String
    public var status: AlertStatus
    public var startsAt: EpochSeconds
    public var endsAt: EpochSeconds?
    public var summary: String
    /// JSON object with the data behind the alert.
    public var data: String
    /// Last change or notification, epoch seconds.
    public var updatedAt: EpochSeconds

    public init(
        id: String,
        fingerprint: String,
        type: String,
        market: String,
        source: String?,
        severity: String,
        status: AlertStatus,
        startsAt: EpochSeconds,
        endsAt: EpochSeconds?,
        summary: String,
        data: String,
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
        self.data = data
        self.updatedAt = updatedAt
    }
}

/// One notification to one destination. `id` is the `webhook-id`, stable across retries;
/// `body` is fixed at enqueue time.
public struct DeliveryRecord: Sendable, Equatable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "delivery"
    /// Insertion order (assigned by the store).
    public var seq: Int64?
    public var id: String
    public var alertId: String
    public var fingerprint: String
    public var destination: String
    /// Destination format at enqueue time (standard, alertmanager, slack, pagerduty).
    public var format: String
    public var body: [UInt8]
    public var attempts: Int
    public var nextAttemptAt: EpochSeconds
    public var status: DeliveryStatus
    public var lastError: String?
    public var createdAt: EpochSeconds

    public init(
        id: String,
        alertId: String,
        fingerprint: String,
        destination: String,
        format: String,
        body: [UInt8],
        createdAt: EpochSeconds
    ) {
        self.id = id
        self.alertId = alertId
        self.fingerprint = fingerprint
        self.destination = destination
        self.format = format
        self.body = body
        self.attempts = 0
        self.nextAttemptAt = createdAt
        self.status = .pending
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { seq = inserted.rowID }

    enum CodingKeys: String, CodingKey {
        case seq, id, alertId, fingerprint, destination, format, body, attempts, nextAttemptAt, status, lastError,
            createdAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seq = try c.decodeIfPresent(Int64.self, forKey: .seq)
        id = try c.decode(String.self, forKey: .id)
        alertId = try c.decode(String.self, forKey: .alertId)
        fingerprint = try c.decode(String.self, forKey: .fingerprint)
        destination = try c.decode(String.self, forKey: .destination)
        format = try c.decode(String.self, forKey: .format)
        body = Array(try c.decode(Data.self, forKey: .body))
        attempts = try c.decode(Int.self, forKey: .attempts)
        nextAttemptAt = try c.decode(Double.self, forKey: .nextAttemptAt)
        status = try c.decode(DeliveryStatus.self, forKey: .status)
        lastError = try c.decodeIfPresent(String.self, forKey: .lastError)
        createdAt = try c.decode(Double.self, forKey: .createdAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(seq, forKey: .seq)
        try c.encode(id, forKey: .id)
        try c.encode(alertId, forKey: .alertId)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(destination, forKey: .destination)
        try c.encode(format, forKey: .format)
        try c.encode(Data(body), forKey: .body)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(lastError, forKey: .lastError)
        try c.encode(createdAt, forKey: .createdAt)
    }
}

/// One delivery attempt: when, the HTTP status (nil when no response), the error text.
public struct DeliveryAttempt: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "delivery_attempt"
    public var deliveryId: String
    /// 1 for the first attempt.
    public var attempt: Int
    public var time: EpochSeconds
    public var statusCode: Int?
    public var error: String?
    /// Round-trip time, milliseconds.
    public var durationMs: Double

    public init(
        deliveryId: String,
        attempt: Int,
        time: EpochSeconds,
        statusCode: Int?,
        error: String?,
        durationMs: Double
    ) {
        self.deliveryId = deliveryId
        self.attempt = attempt
        self.time = time
        self.statusCode = statusCode
        self.error = error
        self.durationMs = durationMs
    }
}

/// A market's persisted breaker and margin state. Times are epoch seconds; margins are fractions
/// of notional. On a shared database the holder of the alert lease alone writes it (the manual
/// halt columns excepted: any replica's operator writes those).
public struct MarketStateRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "market_state"
    public var market: String
    public var manualReason: String?
    public var manualBy: String?
    public var manualSince: EpochSeconds?
    public var manualUntil: EpochSeconds?
    public var bandHaltUntil: EpochSeconds?
    public var velocityHaltUntil: EpochSeconds?
    /// The larger side's maintenance margin (what rows from before the per-side columns hold).
    public var maintenanceMargin: Double?
    /// Each side's maintenance margin; nil in rows written before they were stored.
    public var longMaintenanceMargin: Double?
    public var shortMaintenanceMargin: Double?
    /// The market's last good price and its time (seconds since the epoch), if it had one.
    public var lastGoodPrice: Double?
    public var lastGoodPriceTime: EpochSeconds?
    /// When an operator last resumed the market through any replica (epoch seconds; written
    /// with the manual halt columns): every band or velocity halt begun by then is over on
    /// every replica. Nil when never resumed since the column exists.
    public var resumedAt: EpochSeconds?
    public var updatedAt: EpochSeconds

    public init(
        market: String,
        manual: ManualHalt? = nil,
        bandHaltUntil: EpochSeconds? = nil,
        velocityHaltUntil: EpochSeconds? = nil,
        maintenanceMargin: Double? = nil,
        longMaintenanceMargin: Double? = nil,
        shortMaintenanceMargin: Double? = nil,
        lastGoodPrice: Double? = nil,
        lastGoodPriceTime: EpochSeconds? = nil,
        resumedAt: EpochSeconds? = nil,
        updatedAt: EpochSeconds
    ) {
        self.market = market
        self.manualReason = manual?.reason
        self.manualBy = manual?.by
        self.manualSince = manual?.since
        self.manualUntil = manual?.until
        self.bandHaltUntil = bandHaltUntil
        self.velocityHaltUntil = velocityHaltUntil
        self.maintenanceMargin = maintenanceMargin
        self.longMaintenanceMargin = longMaintenanceMargin
        self.shortMaintenanceMargin = shortMaintenanceMargin
        self.lastGoodPrice = lastGoodPrice
        self.lastGoodPriceTime = lastGoodPriceTime
        self.resumedAt = resumedAt
        self.updatedAt = updatedAt
    }

    /// The manual halt, if one was stored.
    public var manual: ManualHalt? {
        guard let manualReason, let manualBy, let manualSince else { return nil }
        return ManualHalt(reason: manualReason, by: manualBy, since: manualSince, until: manualUntil)
    }

    /// The maintenance margin of each side: the stored sides, or the one figure (the larger
    /// side) for both in a row written by a version that did not store them (they are then
    /// missing, or left from before while the figure moved: the larger of them is not it);
    /// nil when none was stored.
    public var maintenanceSides: (long: Double, short: Double)? {
        if let long = longMaintenanceMargin, let short = shortMaintenanceMargin, max(long, short) == maintenanceMargin {
            return (long, short)
        }
        return maintenanceMargin.map { ($0, $0) }
    }

    /// The last good price and its time, when both were stored.
    public var lastGood: (price: Double, time: EpochSeconds)? {
        guard let lastGoodPrice, let lastGoodPriceTime else { return nil }
        return (lastGoodPrice, lastGoodPriceTime)
    }
}
