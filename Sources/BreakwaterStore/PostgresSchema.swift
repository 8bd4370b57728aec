import PostgresNIO

/// PostgreSQL tables: the same tables and columns as ``SQLiteSchema`` once all its migrations
/// have run (unquoted names, so PostgreSQL folds them to lower case), times as double precision
/// epoch seconds. Append new migrations; never edit a shipped one. Replicas starting together
/// migrate one at a time (a transaction-scoped advisory lock).
enum PostgresSchema {
    /// Names the advisory lock held while migrating ("BWMIGRAT" in ASCII).
    static let migrationLock: Int64 = 0x4257_4D49_4752_4154

    static let migrations: [(name: String, statements: [String])] = [
        (
            "v1",
            [
                """
                CREATE TABLE alert (
                    id text PRIMARY KEY, fingerprint text NOT NULL, type text NOT NULL, market text NOT NULL,
                    source text, severity text NOT NULL, status text NOT NULL, startsAt double precision NOT NULL,
                    endsAt double precision, summary text NOT NULL, data text NOT NULL,
                    updatedAt double precision NOT NULL)
                """,
                "CREATE INDEX alert_fingerprint ON alert(fingerprint)",
                "CREATE INDEX alert_order ON alert(startsAt, id)",
                "CREATE INDEX alert_resolved ON alert(status, updatedAt)",
                """
                CREATE TABLE delivery (
                    seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE,
                    alertId text NOT NULL REFERENCES alert(id) ON DELETE CASCADE, fingerprint text NOT NULL,
                    destination text NOT NULL, format text NOT NULL, body bytea NOT NULL, attempts bigint NOT NULL,
                    nextAttemptAt double precision NOT NULL, status text NOT NULL, lastError text,
                    createdAt double precision NOT NULL, sendingSince double precision)
                """,
                "CREATE INDEX delivery_alert ON delivery(alertId)",
                "CREATE INDEX delivery_due ON delivery(destination, status, nextAttemptAt)",
                "CREATE INDEX delivery_created ON delivery(createdAt)",
                """
                CREATE TABLE delivery_attempt (
                    deliveryId text NOT NULL REFERENCES delivery(id) ON DELETE CASCADE, attempt bigint NOT NULL,
                    time double precision NOT NULL, statusCode bigint, error text,
                    durationMs double precision NOT NULL)
                """,
                "CREATE INDEX delivery_attempt_delivery ON delivery_attempt(deliveryId)",
                """
                CREATE TABLE market_state (
                    market text PRIMARY KEY, manualReason text, manualBy text, manualSince double precision,
                    manualUntil double precision, bandHaltUntil double precision,
                    velocityHaltUntil double precision, maintenanceMargin double precision,
                    lastGoodPrice double precision, lastGoodPriceTime double precision,
                    updatedAt double precision NOT NULL)
                """,
                "CREATE TABLE margin_notice (market text PRIMARY KEY, margin double precision NOT NULL, time double precision NOT NULL)",
                "CREATE TABLE heartbeat (id bigint PRIMARY KEY, time double precision NOT NULL)",
            ]
        ),
        (
            "v2-lease-and-claims",
            [
                // Who turns engine events into alerts, until when (the database's clock, epoch seconds).
                "CREATE TABLE lease (name text PRIMARY KEY, holder text NOT NULL, expiresAt double precision NOT NULL)",
                // The replica sending a delivery, until when its claim holds (its clock, epoch seconds).
                "ALTER TABLE delivery ADD COLUMN claimedBy text, ADD COLUMN claimedUntil double precision",
            ]
        ),
        (
            "v3-backtest-windows",
            [
                // Every finished margin backtest window per market (SQLite's v6-backtest-windows).
                """
                CREATE TABLE backtest_window (
                    market text NOT NULL, startTime double precision NOT NULL, endTime double precision NOT NULL,
                    startPrice double precision NOT NULL, endPrice double precision,
                    longMaintenance double precision NOT NULL, longInitial double precision NOT NULL,
                    shortMaintenance double precision NOT NULL, shortInitial double precision NOT NULL,
                    PRIMARY KEY (market, endTime))
                """
            ]
        ),
        (
            "v4-source-switches",
            [
                // The last disable or enable of each source, applied by every replica (SQLite's
                // v7-source-switches).
                """
                CREATE TABLE source_switch (
                    market text NOT NULL, source text NOT NULL, enabled boolean NOT NULL, changedBy text NOT NULL,
                    changedAt double precision NOT NULL, PRIMARY KEY (market, source))
                """
            ]
        ),
        (
            "v5-margin-per-side",
            [
                // Each side's maintenance margin (SQLite's v8-margin-per-side).
                """
                ALTER TABLE market_state ADD COLUMN longMaintenanceMargin double precision,
                    ADD COLUMN shortMaintenanceMargin double precision
                """
            ]
        ),
        (
            "v6-resumed-at",
            [
                // When an operator last resumed each market (SQLite's v9-resumed-at).
                "ALTER TABLE market_state ADD COLUMN resumedAt double precision"
            ]
        ),
    ]

    /// Applies the migrations not yet applied on `c`, inside the caller's transaction.
    static func migrate(_ backend: PostgresBackend, on c: PostgresConnection) throws {
        try backend.run(c, "SELECT pg_advisory_xact_lock(\(migrationLock))")
        try backend.run(c, "CREATE TABLE IF NOT EXISTS breakwater_migration (name text PRIMARY KEY)")
        var applied = Set<String>()
        for row in try backend.run(c, "SELECT name FROM breakwater_migration") {
            applied.insert(try row.decode(String.self))
        }
        for migration in migrations where !applied.contains(migration.name) {
            for statement in migration.statements { try backend.run(c, PostgresQuery(unsafeSQL: statement)) }
            try backend.run(c, "INSERT INTO breakwater_migration(name) VALUES (\(migration.name))")
        }
    }
}
