import PostgresNIO

extension PostgresBackend {
    func saveSourceSwitch(_ s: SourceSwitchRecord) throws {
        try run(
            """
            INSERT INTO source_switch(market, source, enabled, changedBy, changedAt)
            VALUES (\(s.market), \(s.source), \(s.enabled), \(s.changedBy), \(s.changedAt))
            ON CONFLICT (market, source) DO UPDATE SET enabled = EXCLUDED.enabled,
                changedBy = EXCLUDED.changedBy,
                changedAt = GREATEST(EXCLUDED.changedAt, source_switch.changedAt + 0.001)
            """
        )
    }

    func loadSourceSwitches() throws -> [SourceSwitchRecord] {
        try run(
            """
            SELECT market, source, enabled, changedBy, changedAt FROM source_switch
            ORDER BY market COLLATE "C", source COLLATE "C"
            """
        ).map { row in
            let (market, source, enabled, by, at) = try row.decode((String, String, Bool, String, Double).self)
            return SourceSwitchRecord(market: market, source: source, enabled: enabled, changedBy: by, changedAt: at)
        }
    }
}
