import BreakwaterEngine
import GRDB

extension SQLiteBackend {
    func loadMarketStates() throws -> [MarketStateRecord] {
        try read { db in try MarketStateRecord.order(Column("market")).fetchAll(db) }
    }

    func saveMarketStates(_ states: [MarketStateRecord]) throws {
        try write { db in for s in states { try s.save(db) } }
    }
}
