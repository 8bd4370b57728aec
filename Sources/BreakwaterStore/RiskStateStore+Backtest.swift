public import BreakwaterEngine
import GRDB

extension RiskStateStore {
    /// Stores finished backtest windows (a window stored twice is kept once).
    public func saveBacktestWindows(_ windows: [BacktestWindowRecord]) throws {
        guard !windows.isEmpty else { return }
        try write { db in for w in windows { try w.save(db) } }
    }

    /// Every stored backtest window of every market, each market's in the order they ended.
    public func loadBacktestWindows() throws -> [String: [BacktestWindow]] {
        let rows = try read { db in
            try BacktestWindowRecord.order(Column("market"), Column("endTime")).fetchAll(db)
        }
        var out: [String: [BacktestWindow]] = [:]
        for r in rows { out[r.market, default: []].append(r.window) }
        return out
    }
}
