public import BreakwaterEngine

/// What one change did to the alerts (every alert it opened, resolved or reminded, the
/// notifications it enqueued and the margins it announced), stored by
/// ``RiskStateStore/record(_:)`` in one transaction: all of it or nothing.
public struct AlertBatch: Sendable, Equatable {
    /// A maintenance margin announced for a market (fraction) at `time` (epoch seconds).
    public struct MarginNotice: Sendable, Equatable {
        public var market: String
        public var margin: Double
        public var time: EpochSeconds

        public init(market: String, margin: Double, time: EpochSeconds) {
            self.market = market
            self.margin = margin
            self.time = time
        }
    }

    /// Inserted or updated in order: an alert that appears twice (opened, then resolved by the
    /// same change) is stored as it last appears.
    public var alerts: [AlertRecord]
    /// Enqueued in order; each id is new (a delivery id already stored fails the whole batch).
    public var deliveries: [DeliveryRecord]
    /// In order: a market's last notice is the one kept.
    public var marginNotices: [MarginNotice]

    public init(alerts: [AlertRecord] = [], deliveries: [DeliveryRecord] = [], marginNotices: [MarginNotice] = []) {
        self.alerts = alerts
        self.deliveries = deliveries
        self.marginNotices = marginNotices
    }

    /// True when there is nothing to store.
    public var isEmpty: Bool { alerts.isEmpty && deliveries.isEmpty && marginNotices.isEmpty }

    /// The alerts as they are to be stored: each id once, as it last appears, in the order of
    /// first appearance.
    var latestAlerts: [AlertRecord] { Self.lastOfEach(alerts, by: \.id) }

    /// The margin notices as they are to be stored: each market's last one.
    var latestMarginNotices: [MarginNotice] { Self.lastOfEach(marginNotices, by: \.market) }

    /// `items` with each `key` once, as it last appears, in the order of its first appearance.
    private static func lastOfEach<T>(_ items: [T], by key: (T) -> String) -> [T] {
        var position: [String: Int] = [:]
        var out: [T] = []
        for item in items {
            if let i = position[key(item)] {
                out[i] = item
            } else {
                position[key(item)] = out.count
                out.append(item)
            }
        }
        return out
    }
}
