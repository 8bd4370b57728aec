public import BreakwaterEngine
import Foundation

/// One page of alerts, newest first; pass `nextCursor` back to get the following page.
public struct AlertPage: Sendable, Equatable {
    public var alerts: [AlertRecord]
    public var nextCursor: String?
}

/// An alert with its notifications and every attempt made for each.
public struct AlertDetail: Sendable, Equatable {
    public struct Notification: Sendable, Equatable {
        public var delivery: DeliveryRecord
        public var attempts: [DeliveryAttempt]
    }

    public var alert: AlertRecord
    public var notifications: [Notification]
}

extension RiskStateStore {
    /// Stores what one change did to the alerts (see ``AlertBatch``) in one transaction, then
    /// counts its deliveries in the outbox. Throws ``StoreError``; nothing of it is then stored.
    public func record(_ batch: AlertBatch) throws {
        guard !batch.isEmpty else { return }
        try backend.record(batch)
        for d in batch.deliveries { outbox.add(d.destination, d.status, 1) }
    }

    /// The alerts currently firing, oldest first (re-attached at start-up by fingerprint).
    public func firingAlerts() throws -> [AlertRecord] { try backend.firingAlerts() }

    /// When any alert last changed (its latest `updatedAt`, epoch seconds); nil with none.
    public func lastAlertChange() throws -> EpochSeconds? { try backend.lastAlertChange() }

    /// Alerts newest first (by `startsAt`, then id), filtered; `limit` is clamped to 1...1000.
    /// `cursor` is an opaque string from a previous page; one that is not throws `InvalidCursor`
    /// (starting again from the top would make a client that pages until the end loop forever).
    public func listAlerts(
        status: AlertStatus? = nil,
        market: String? = nil,
        type: String? = nil,
        limit: Int = 100,
        cursor: String? = nil
    ) throws -> AlertPage {
        let n = min(max(limit, 1), 1000)
        var after: (startsAt: Double, id: String)? = nil
        if let cursor {
            guard let position = Self.parseCursor(cursor) else { throw InvalidCursor() }
            // Nothing comes before a time that is not a number (databases order NaN differently).
            if position.0.isNaN { return AlertPage(alerts: [], nextCursor: nil) }
            after = position
        }
        let rows = try backend.listAlerts(status: status, market: market, type: type, limit: n + 1, after: after)
        let page = Array(rows.prefix(n))
        let next = rows.count > n ? page.last.map { "\($0.startsAt.bitPattern)_\($0.id)" } : nil
        return AlertPage(alerts: page, nextCursor: next)
    }

    /// A `cursor` that no page handed out.
    public struct InvalidCursor: Error, Sendable, CustomStringConvertible {
        public var description: String { "not a cursor from a previous page (pass nextCursor back unchanged)" }
    }

    /// The position a cursor names: the last alert's start time (its bit pattern, so that it
    /// round-trips exactly) and id. Exactly the strings of the pattern in the OpenAPI document,
    /// `^[0-9]{1,19}_[A-Za-z0-9_-]{1,64}$`, are cursors (a forged one that is not a finite time
    /// gives an empty page or, for +infinity, the first).
    static func parseCursor(_ cursor: String?) -> (Double, String)? {
        guard let cursor, let sep = cursor.firstIndex(of: "_") else { return nil }
        let digits = cursor[..<sep]
        let id = cursor[cursor.index(after: sep)...]
        guard (1...19).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let bits = UInt64(digits),
            (1...64).contains(id.count),
            id.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-")
            })
        else { return nil }
        return (Double(bitPattern: bits), String(id))
    }

    /// The alert `id` with each notification and its attempts, or nil.
    public func alert(id: String) throws -> AlertDetail? { try backend.alert(id: id) }

    /// The maintenance margin (fraction) last announced per market.
    public func marginNotices() throws -> [String: Double] { try backend.marginNotices() }

    /// Every stored market state.
    public func loadMarketStates() throws -> [MarketStateRecord] { try backend.loadMarketStates() }

    /// Inserts or replaces several market states in one transaction. With PostgreSQL, a
    /// market's manual halt is kept as ``saveManualHalt(market:halt:at:)`` last wrote it.
    public func saveMarketStates(_ states: [MarketStateRecord]) throws { try backend.saveMarketStates(states) }

    /// Records the manual halt of `market` an operator set (nil: ended) at `time`, epoch
    /// seconds: what every replica applies (``loadMarketStates()``).
    public func saveManualHalt(market: String, halt: ManualHalt?, at time: EpochSeconds) throws {
        try backend.saveManualHalt(market: market, halt: halt, at: time)
    }

    /// Records an operator's disable or enable of a source: what every replica applies
    /// (``loadSourceSwitches()``).
    public func saveSourceSwitch(_ change: SourceSwitchRecord) throws { try backend.saveSourceSwitch(change) }

    /// The last disable or enable of every source an operator switched.
    public func loadSourceSwitches() throws -> [SourceSwitchRecord] { try backend.loadSourceSwitches() }
}
