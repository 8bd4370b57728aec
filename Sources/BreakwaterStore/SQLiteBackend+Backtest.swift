import BreakwaterEngine
import GRDB

extension SQLiteBackend {
    func saveBacktestWindows(_ windows: [BacktestWindowRecord]) throws {
        try write { db in for w in windows { try w.save(db) } }
    }

    func loadBacktestWindows() throws -> [BacktestWindowRecord] {
        try read { db in try BacktestWindowRecord.order(Column("market"), Column("endTime")).fetchAll(db) }
    }
}
