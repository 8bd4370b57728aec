import BreakwaterEngine
import PostgresNIO

/// The markets' saved states on PostgreSQL: one row per market, the manual halt columns
/// written by ``saveManualHalt(market:halt:at:)`` alone, the rest by the lease holder.
extension PostgresBackend {
    func loadMarketStates() throws -> [MarketStateRecord] {
        try run(
            """
            SELECT market, manualReason, manualBy, manualSince, manualUntil, bandHaltUntil, velocityHaltUntil,
                maintenanceMargin, longMaintenanceMargin, shortMaintenanceMargin, lastGoodPrice, lastGoodPriceTime,
                resumedAt, updatedAt
            FROM market_state ORDER BY market COLLATE "C"
            """
        ).map { row in
            let (
                market, reason, by, since, until, band, velocity, margin, long, short, price, priceTime, resumed,
                updatedAt
            ) =
                try row.decode(
                    (
                        String, String?, String?, Double?, Double?, Double?, Double?, Double?, Double?, Double?,
                        Double?, Double?, Double?, Double
                    ).self
                )
            var r = MarketStateRecord(
                market: market,
                bandHaltUntil: band,
                velocityHaltUntil: velocity,
                maintenanceMargin: margin,
                longMaintenanceMargin: long,
                shortMaintenanceMargin: short,
                lastGoodPrice: price,
                lastGoodPriceTime: priceTime,
                resumedAt: resumed,
                updatedAt: updatedAt
            )
            (r.manualReason, r.manualBy, r.manualSince, r.manualUntil) = (reason, by, since, until)
            return r
        }
    }

    /// A resume (`halt` nil) also records its time in `resumedAt`; a halt keeps the last one.
    func saveManualHalt(market: String, halt h: ManualHalt?, at time: EpochSeconds) throws {
        let resumed: Double? = h == nil ? time : nil
        try run(
            """
            INSERT INTO market_state(market, manualReason, manualBy, manualSince, manualUntil, resumedAt, updatedAt)
            VALUES (\(market), \(h?.reason), \(h?.by), \(h?.since), \(h?.until), \(resumed), \(time))
            ON CONFLICT (market) DO UPDATE SET manualReason = EXCLUDED.manualReason, manualBy = EXCLUDED.manualBy,
                manualSince = EXCLUDED.manualSince, manualUntil = EXCLUDED.manualUntil,
                resumedAt = COALESCE(EXCLUDED.resumedAt, market_state.resumedAt), updatedAt = EXCLUDED.updatedAt
            """
        )
    }

    /// One transaction of multi-row statements (one round trip per ``rowsPerStatement``
    /// markets, not one per market); a market given twice is saved as its last record. The
    /// manual halt columns are written only when a row is new (see ``StoreBackend``).
    func saveMarketStates(_ states: [MarketStateRecord]) throws {
        var latest: [String: MarketStateRecord] = [:]
        for s in states { latest[s.market] = s }
        let rows = latest.values.sorted { $0.market < $1.market }
        guard !rows.isEmpty else { return }
        try transaction { c in
            for start in stride(from: 0, to: rows.count, by: Self.rowsPerStatement) {
                try run(c, Self.upsert(rows[start..<min(start + Self.rowsPerStatement, rows.count)]))
            }
        }
    }

    /// Inserts or updates `states` (each market once) in one statement, manual halt columns
    /// only on insert.
    static func upsert(_ states: ArraySlice<MarketStateRecord>) -> PostgresQuery {
        var b = PostgresBindings(capacity: 13 * states.count)
        for s in states {
            b.append(s.market)
            b.append(s.manualReason)
            b.append(s.manualBy)
            b.append(s.manualSince)
            b.append(s.manualUntil)
            b.append(s.bandHaltUntil)
            b.append(s.velocityHaltUntil)
            b.append(s.maintenanceMargin)
            b.append(s.longMaintenanceMargin)
            b.append(s.shortMaintenanceMargin)
            b.append(s.lastGoodPrice)
            b.append(s.lastGoodPriceTime)
            b.append(s.updatedAt)
        }
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO market_state(market, manualReason, manualBy, manualSince, manualUntil, bandHaltUntil,
                    velocityHaltUntil, maintenanceMargin, longMaintenanceMargin, shortMaintenanceMargin,
                    lastGoodPrice, lastGoodPriceTime, updatedAt) VALUES \(rowsOfPlaceholders(states.count, columns: 13))
                ON CONFLICT (market) DO UPDATE SET bandHaltUntil = EXCLUDED.bandHaltUntil,
                    velocityHaltUntil = EXCLUDED.velocityHaltUntil, maintenanceMargin = EXCLUDED.maintenanceMargin,
                    longMaintenanceMargin = EXCLUDED.longMaintenanceMargin,
                    shortMaintenanceMargin = EXCLUDED.shortMaintenanceMargin, lastGoodPrice = EXCLUDED.lastGoodPrice,
                    lastGoodPriceTime = EXCLUDED.lastGoodPriceTime, updatedAt = EXCLUDED.updatedAt
                """,
            binds: b
        )
    }
}
