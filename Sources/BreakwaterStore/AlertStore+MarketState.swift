import BreakwaterEngine
import GRDB

extension AlertStore {
    /// Every stored market state.
    public func loadMarketStates() throws -> [MarketStateRecord] {
        try read { db in try MarketStateRecord.order(Column("market")).fetchAll(db) }
    }

    /// The stored state of `market`, if any.
    public func marketState(_ market: String) throws -> MarketStateRecord? {
        try read { db in try MarketStateRecord.fetchOne(db, key: market) }
    }

    /// Inserts or replaces the state of `state.market`.
    public func saveMarketState(_ state: MarketStateRecord) throws {
        try write { db in try state.save(db) }
    }

    /// Inserts or replaces several market states in one transaction.
    public func saveMarketStates(_ states: [MarketStateRecord]) throws {
        try write { db in for s in states { try s.save(db) } }
    }
}
