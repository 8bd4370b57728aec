public import BreakwaterEngine
public import GRDB

/// An operator's last disable or enable of one source of one market, as every replica of a
/// shared database applies it. `changedAt` is the operator's time, epoch seconds (stored at
/// least 1 ms after the switch it replaced): a replica takes up a switch only when it is newer
/// than the last one it made or applied itself.
public struct SourceSwitchRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "source_switch"
    public var market: String
    public var source: String
    public var enabled: Bool
    public var changedBy: String
    public var changedAt: EpochSeconds

    public init(market: String, source: String, enabled: Bool, changedBy: String, changedAt: EpochSeconds) {
        self.market = market
        self.source = source
        self.enabled = enabled
        self.changedBy = changedBy
        self.changedAt = changedAt
    }
}
