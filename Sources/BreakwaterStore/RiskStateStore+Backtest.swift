public import BreakwaterEngine

extension RiskStateStore {
    /// Stores finished backtest windows (a window stored twice is kept once).
    public func saveBacktestWindows(_ windows: [BacktestWindowRecord]) throws {
        guard !windows.isEmpty else { return }
        try backend.saveBacktestWindows(windows)
    }

    /// Every stored backtest window of every market, each market's in the order they ended.
    public func loadBacktestWindows() throws -> [String: [BacktestWindow]] {
        var out: [String: [BacktestWindow]] = [:]
        for r in try backend.loadBacktestWindows() { out[r.market, default: []].append(r.window) }
        return out
    }
}
