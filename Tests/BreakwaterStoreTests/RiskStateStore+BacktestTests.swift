import BreakwaterEngine
import BreakwaterStore
import Testing

/// Finished margin backtest windows survive a reopen, in order, kept once when stored twice (as
/// replicas on one grid store the same window), a skipped window with no end price.
struct StoreBacktestWindowTests {
    func window(_ end: EpochSeconds, endPrice: Double?) -> BacktestWindow {
        BacktestWindow(
            start: end - 60,
            end: end,
            startPrice: 100,
            endPrice: endPrice,
            margins: PublishedMargins(
                longMaintenance: 0.011,
                longInitial: 0.022,
                shortMaintenance: 0.012,
                shortInitial: 0.024
            )
        )
    }

    @Test(arguments: StoreBackendKind.allCases) func windowsSurviveAReopenOnceEach(
        _ backend: StoreBackendKind
    ) async throws {
        let place = try await StorePlace.fresh(backend)
        let b = [window(120, endPrice: 98.5), window(180, endPrice: nil)]
        do {
            let store = try place.open()
            try store.saveBacktestWindows(b.map { BacktestWindowRecord(market: "B", window: $0) })
            try store.saveBacktestWindows([BacktestWindowRecord(market: "A", window: window(60, endPrice: 101))])
            // The same window again (another replica): kept once.
            try store.saveBacktestWindows([BacktestWindowRecord(market: "B", window: b[0])])
        }
        let loaded = try place.open().loadBacktestWindows()
        #expect(loaded["A"] == [window(60, endPrice: 101)])
        #expect(loaded["B"] == b)
    }
}
