import GRDB

extension SQLiteBackend {
    func saveSourceSwitch(_ s: SourceSwitchRecord) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO source_switch(market, source, enabled, changedBy, changedAt) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(market, source) DO UPDATE SET enabled = excluded.enabled,
                        changedBy = excluded.changedBy,
                        changedAt = max(excluded.changedAt, source_switch.changedAt + 0.001)
                    """,
                arguments: [s.market, s.source, s.enabled, s.changedBy, s.changedAt]
            )
        }
    }

    func loadSourceSwitches() throws -> [SourceSwitchRecord] {
        try read { db in try SourceSwitchRecord.order(Column("market"), Column("source")).fetchAll(db) }
    }
}
