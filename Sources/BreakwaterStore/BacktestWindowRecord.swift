public import BreakwaterEngine
public import GRDB

/// One finished margin backtest window of a market as stored (`backtest_window`): times epoch
/// seconds, margins fractions of notional, `endPrice` NULL for a skipped window. One row per
/// market and window end.
public struct BacktestWindowRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "backtest_window"
    public var market: String
    public var startTime: EpochSeconds
    public var endTime: EpochSeconds
    public var startPrice: Double
    public var endPrice: Double?
    public var longMaintenance: Double
    public var longInitial: Double
    public var shortMaintenance: Double
    public var shortInitial: Double

    public init(market: String, window w: BacktestWindow) {
        self.market = market
        startTime = w.start
        endTime = w.end
        startPrice = w.startPrice
        endPrice = w.endPrice
        longMaintenance = w.margins.longMaintenance
        longInitial = w.margins.longInitial
        shortMaintenance = w.margins.shortMaintenance
        shortInitial = w.margins.shortInitial
    }

    public var window: BacktestWindow {
        BacktestWindow(
            start: startTime,
            end: endTime,
            startPrice: startPrice,
            endPrice: endPrice,
            margins: PublishedMargins(
                longMaintenance: longMaintenance,
                longInitial: longInitial,
                shortMaintenance: shortMaintenance,
                shortInitial: shortInitial
            )
        )
    }
}
