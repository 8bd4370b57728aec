import BreakwaterEngine
import GRDB

extension SQLiteBackend {
    func loadMarketStates() throws -> [MarketStateRecord] {
        try read { db in try MarketStateRecord.order(Column("market")).fetchAll(db) }
    }

    func saveMarketStates(_ states: [MarketStateRecord]) throws {
        try write { db in for s in states { try s.save(db) } }
    }

    /// A resume (`halt` nil) also records its time in `resumedAt`; a halt keeps the last one.
    func saveManualHalt(market: String, halt h: ManualHalt?, at time: EpochSeconds) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO market_state(market, manualReason, manualBy, manualSince, manualUntil, resumedAt,
                        updatedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(market) DO UPDATE SET manualReason = excluded.manualReason,
                        manualBy = excluded.manualBy, manualSince = excluded.manualSince,
                        manualUntil = excluded.manualUntil,
                        resumedAt = COALESCE(excluded.resumedAt, market_state.resumedAt),
                        updatedAt = excluded.updatedAt
                    """,
                arguments: [market, h?.reason, h?.by, h?.since, h?.until, h == nil ? time : nil, time]
            )
        }
    }
}
