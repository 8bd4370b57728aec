import BreakwaterEngine
import GRDB

extension RiskStateStore {
    /// Every stored market state.
    public func loadMarketStates() throws -> [MarketStateRecord] {
        try read { db in try MarketStateRecord.order(Column("market")).fetchAll(db) }
    }

    /// Inserts or replaces several market states in one transaction.
    public func saveMarketStates(_ states: [MarketStateRecord]) throws {
        try write { db in for s in states { try s.save(db) } }
    }
}
