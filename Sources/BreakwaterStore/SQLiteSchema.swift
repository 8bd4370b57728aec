import GRDB

/// SQLite tables and their migrations (``PostgresSchema`` holds the same tables). Append new
/// migrations; never edit a shipped one.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "alert") { t in
                t.primaryKey("id", .text)
                t.column("fingerprint", .text).notNull().indexed()
                t.column("type", .text).notNull()
                t.column("market", .text).notNull()
                t.column("source", .text)
                t.column("severity", .text).notNull()
                t.column("status", .text).notNull()
                t.column("startsAt", .double).notNull()
                t.column("endsAt", .double)
                t.column("summary", .text).notNull()
                t.column("data", .text).notNull()
                t.column("updatedAt", .double).notNull()
            }
            try db.create(index: "alert_order", on: "alert", columns: ["startsAt", "id"])
            try db.create(table: "delivery") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("id", .text).notNull().unique()
                t.column("alertId", .text).notNull().indexed().references("alert", onDelete: .cascade)
                t.column("fingerprint", .text).notNull()
                t.column("destination", .text).notNull()
                t.column("format", .text).notNull()
                t.column("body", .blob).notNull()
                t.column("attempts", .integer).notNull()
                t.column("nextAttemptAt", .double).notNull()
                t.column("status", .text).notNull()
                t.column("lastError", .text)
                t.column("createdAt", .double).notNull()
            }
            try db.create(index: "delivery_due", on: "delivery", columns: ["destination", "status", "nextAttemptAt"])
            try db.create(table: "delivery_attempt") { t in
                t.column("deliveryId", .text).notNull().indexed().references(
                    "delivery",
                    column: "id",
                    onDelete: .cascade
                )
                t.column("attempt", .integer).notNull()
                t.column("time", .double).notNull()
                t.column("statusCode", .integer)
                t.column("error", .text)
                t.column("durationMs", .double).notNull()
            }
            try db.create(table: "market_state") { t in
                t.primaryKey("market", .text)
                t.column("manualReason", .text)
                t.column("manualBy", .text)
                t.column("manualSince", .double)
                t.column("manualUntil", .double)
                t.column("bandHaltUntil", .double)
                t.column("velocityHaltUntil", .double)
                t.column("maintenanceMargin", .double)
                t.column("updatedAt", .double).notNull()
            }
            // The maintenance margin last announced by a `margin.changed` notification, per market.
            try db.create(table: "margin_notice") { t in
                t.primaryKey("market", .text)
                t.column("margin", .double).notNull()
                t.column("time", .double).notNull()
            }
        }
        m.registerMigration("v2-heartbeat") { db in
            // One row rewritten by readiness checks, to prove the file can still be written.
            try db.create(table: "heartbeat") { t in
                t.primaryKey("id", .integer)
                t.column("time", .double).notNull()
            }
        }
        m.registerMigration("v3-sending") { db in
            // When the attempt in progress for a delivery began (NULL when none is): an attempt
            // the process did not live to record is found at the next start.
            try db.alter(table: "delivery") { t in t.add(column: "sendingSince", .double) }
        }
        m.registerMigration("v4-last-good-price") { db in
            // The last price the market had, and its time: after a restart with no quote yet
            // (feeds down), the market still says what it last traded at.
            try db.alter(table: "market_state") { t in
                t.add(column: "lastGoodPrice", .double)
                t.add(column: "lastGoodPriceTime", .double)
            }
        }
        m.registerMigration("v5-retention") { db in
            // Pruning after storage.retentionDays finds old rows without scanning the tables.
            try db.create(index: "alert_resolved", on: "alert", columns: ["status", "updatedAt"])
            try db.create(index: "delivery_created", on: "delivery", columns: ["createdAt"])
        }
        m.registerMigration("v6-backtest-windows") { db in
            // Every finished margin backtest window per market (`BacktestWindowRecord`), so that a
            // restart keeps the model's history; about 100 bytes a window.
            try db.create(table: "backtest_window") { t in
                t.column("market", .text).notNull()
                t.column("startTime", .double).notNull()
                t.column("endTime", .double).notNull()
                t.column("startPrice", .double).notNull()
                t.column("endPrice", .double)
                t.column("longMaintenance", .double).notNull()
                t.column("longInitial", .double).notNull()
                t.column("shortMaintenance", .double).notNull()
                t.column("shortInitial", .double).notNull()
                t.primaryKey(["market", "endTime"])
            }
        }
        m.registerMigration("v7-source-switches") { db in
            // The last disable or enable of each source (`SourceSwitchRecord`).
            try db.create(table: "source_switch") { t in
                t.column("market", .text).notNull()
                t.column("source", .text).notNull()
                t.column("enabled", .boolean).notNull()
                t.column("changedBy", .text).notNull()
                t.column("changedAt", .double).notNull()
                t.primaryKey(["market", "source"])
            }
        }
        m.registerMigration("v8-margin-per-side") { db in
            // Each side's maintenance margin (`maintenanceMargin` stays the larger side): a
            // restart, or another replica, takes up each side as it was.
            try db.alter(table: "market_state") { t in
                t.add(column: "longMaintenanceMargin", .double)
                t.add(column: "shortMaintenanceMargin", .double)
            }
        }
        m.registerMigration("v9-resumed-at") { db in
            // When an operator last resumed the market (`MarketStateRecord.resumedAt`).
            try db.alter(table: "market_state") { t in t.add(column: "resumedAt", .double) }
        }
        return m
    }
}
