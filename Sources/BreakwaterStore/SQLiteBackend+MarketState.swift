import BreakwaterEngine
import GRDB

extension SQLiteBackend {
    func loadMarketStates() throws -> [MarketStateRecord] {
        try read { db in try MarketStateRecord.order(Column("market")).fetchAll(db) }
    }

    func saveMarketStates(_ states: [MarketStateRecord]) throws {
        try write { db in for s in states { try s.save(db) } }
    }

    func saveManualHalt(market: String, halt h: ManualHalt?, at time: EpochSeconds) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO market_state(market, manualReason, manualBy, manualSince, manualUntil, updatedAt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(market) DO UPDATE SET manualReason = excluded.manualReason,
                        manualBy = excluded.manualBy, manualSince = excluded.manualSince,
                        manualUntil = excluded.manualUntil, updatedAt = excluded.updatedAt
                    """,
                arguments: [market, h?.reason, h?.by, h?.since, h?.until, time]
            )
        }
    }
}
