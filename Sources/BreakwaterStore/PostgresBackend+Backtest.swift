import BreakwaterEngine
import PostgresNIO

extension PostgresBackend {
    func saveBacktestWindows(_ windows: [BacktestWindowRecord]) throws {
        try transaction { c in
            for w in windows {
                try run(
                    c,
                    """
                    INSERT INTO backtest_window(market, startTime, endTime, startPrice, endPrice, longMaintenance,
                        longInitial, shortMaintenance, shortInitial)
                    VALUES (\(w.market), \(w.startTime), \(w.endTime), \(w.startPrice), \(w.endPrice),
                        \(w.longMaintenance), \(w.longInitial), \(w.shortMaintenance), \(w.shortInitial))
                    ON CONFLICT (market, endTime) DO NOTHING
                    """
                )
            }
        }
    }

    func loadBacktestWindows() throws -> [BacktestWindowRecord] {
        try run(
            """
            SELECT market, startTime, endTime, startPrice, endPrice, longMaintenance, longInitial,
                shortMaintenance, shortInitial
            FROM backtest_window ORDER BY market COLLATE "C", endTime
            """
        ).map { row in
            let (market, start, end, startPrice, endPrice, longM, longI, shortM, shortI) = try row.decode(
                (String, Double, Double, Double, Double?, Double, Double, Double, Double).self
            )
            return BacktestWindowRecord(
                market: market,
                window: BacktestWindow(
                    start: start,
                    end: end,
                    startPrice: startPrice,
                    endPrice: endPrice,
                    margins: PublishedMargins(
                        longMaintenance: longM,
                        longInitial: longI,
                        shortMaintenance: shortM,
                        shortInitial: shortI
                    )
                )
            )
        }
    }
}
