import BreakwaterEngine
import NIOCore
import PostgresNIO

extension PostgresBackend {
    /// The columns of ``AlertRecord``, in the order ``alert(from:)`` reads them.
    static let alertColumns =
        "id, fingerprint, type, market, source, severity, status, startsAt, endsAt, summary, data, updatedAt"

    func alert(from row: PostgresRow) throws -> AlertRecord {
        let (id, fingerprint, type, market, source, severity, status, startsAt, endsAt, summary, data, updatedAt) =
            try row.decode(
                (
                    String, String, String, String, String?, String, String, Double, Double?, String, String, Double
                ).self
            )
        guard let s = AlertStatus(rawValue: status) else {
            throw StoreError(kind: .corrupt, path: location, message: "alert \(id) has an unknown status \(status)")
        }
        return AlertRecord(
            id: id,
            fingerprint: fingerprint,
            type: type,
            market: market,
            source: source,
            severity: severity,
            status: s,
            startsAt: startsAt,
            endsAt: endsAt,
            summary: summary,
            data: data,
            updatedAt: updatedAt
        )
    }

    /// Rows per statement: a few statements for a change of a thousand markets, far below the
    /// protocol's 65,535 parameters (12 per alert).
    static let rowsPerStatement = 1000

    /// One transaction; each table written by a few multi-row statements (one round trip
    /// each), not one per row.
    func record(_ batch: AlertBatch) throws {
        try transaction { c in
            let alerts = batch.latestAlerts
            for start in stride(from: 0, to: alerts.count, by: Self.rowsPerStatement) {
                try run(c, Self.upsert(alerts[start..<min(start + Self.rowsPerStatement, alerts.count)]))
            }
            let deliveries = batch.deliveries
            for start in stride(from: 0, to: deliveries.count, by: Self.rowsPerStatement) {
                try run(c, Self.insert(deliveries[start..<min(start + Self.rowsPerStatement, deliveries.count)]))
            }
            for n in batch.latestMarginNotices {
                try run(
                    c,
                    """
                    INSERT INTO margin_notice(market, margin, time) VALUES (\(n.market), \(n.margin), \(n.time))
                    ON CONFLICT (market) DO UPDATE SET margin = EXCLUDED.margin, time = EXCLUDED.time
                    """
                )
            }
        }
    }

    /// Inserts or updates `alerts` (each id once) in one statement.
    static func upsert(_ alerts: ArraySlice<AlertRecord>) -> PostgresQuery {
        var b = PostgresBindings(capacity: 12 * alerts.count)
        for a in alerts {
            b.append(a.id)
            b.append(a.fingerprint)
            b.append(a.type)
            b.append(a.market)
            b.append(a.source)
            b.append(a.severity)
            b.append(a.status.rawValue)
            b.append(a.startsAt)
            b.append(a.endsAt)
            b.append(a.summary)
            b.append(a.data)
            b.append(a.updatedAt)
        }
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO alert(\(alertColumns)) VALUES \(rowsOfPlaceholders(alerts.count, columns: 12))
                ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, type = EXCLUDED.type,
                    market = EXCLUDED.market, source = EXCLUDED.source, severity = EXCLUDED.severity,
                    status = EXCLUDED.status, startsAt = EXCLUDED.startsAt, endsAt = EXCLUDED.endsAt,
                    summary = EXCLUDED.summary, data = EXCLUDED.data, updatedAt = EXCLUDED.updatedAt
                """,
            binds: b
        )
    }

    /// Enqueues `deliveries` in one statement; their `seq` follows their order.
    static func insert(_ deliveries: ArraySlice<DeliveryRecord>) -> PostgresQuery {
        var b = PostgresBindings(capacity: 11 * deliveries.count)
        for d in deliveries {
            b.append(d.id)
            b.append(d.alertId)
            b.append(d.fingerprint)
            b.append(d.destination)
            b.append(d.format)
            b.append(ByteBuffer(bytes: d.body))
            b.append(d.attempts)
            b.append(d.nextAttemptAt)
            b.append(d.status.rawValue)
            b.append(d.lastError)
            b.append(d.createdAt)
        }
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO delivery(id, alertId, fingerprint, destination, format, body, attempts, nextAttemptAt,
                    status, lastError, createdAt) VALUES \(rowsOfPlaceholders(deliveries.count, columns: 11))
                """,
            binds: b
        )
    }

    /// `rows` parenthesized lists of `columns` placeholders each, numbered in order:
    /// `($1, $2), ($3, $4)` for 2 rows of 2 columns.
    static func rowsOfPlaceholders(_ rows: Int, columns: Int) -> String {
        (0..<rows).map { r in
            "(" + (1...columns).map { "$\(r * columns + $0)" }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }

    func firingAlerts() throws -> [AlertRecord] {
        try run(
            """
            SELECT \(unescaped: Self.alertColumns) FROM alert WHERE status = \(AlertStatus.firing.rawValue)
            ORDER BY startsAt, id
            """
        ).map(alert(from:))
    }

    func lastAlertChange() throws -> EpochSeconds? {
        try run("SELECT MAX(updatedAt) FROM alert").first?.decode(Double?.self) ?? nil
    }

    func listAlerts(
        status: AlertStatus?,
        market: String?,
        type: String?,
        limit: Int,
        after: (startsAt: Double, id: String)?
    ) throws -> [AlertRecord] {
        // A NULL filter matches every row; ids compare byte by byte, as in SQLite.
        try run(
            """
            SELECT \(unescaped: Self.alertColumns) FROM alert
            WHERE (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
              AND (\(market)::text IS NULL OR market = \(market))
              AND (\(type)::text IS NULL OR type = \(type))
              AND (\(after?.startsAt)::double precision IS NULL OR startsAt < \(after?.startsAt)
                   OR (startsAt = \(after?.startsAt) AND id COLLATE "C" < \(after?.id)))
            ORDER BY startsAt DESC, id COLLATE "C" DESC LIMIT \(limit)
            """
        ).map(alert(from:))
    }

    func alert(id: String) throws -> AlertDetail? {
        try withConnection { c in
            guard let row = try run(c, "SELECT \(unescaped: Self.alertColumns) FROM alert WHERE id = \(id)").first
            else { return nil }
            let a = try alert(from: row)
            let ds = try run(
                c,
                "SELECT \(unescaped: Self.deliveryColumns) FROM delivery WHERE alertId = \(id) ORDER BY seq"
            ).map(delivery(from:))
            let notes = try ds.map { d in
                AlertDetail.Notification(
                    delivery: d,
                    attempts: try run(
                        c,
                        """
                        SELECT deliveryId, attempt, time, statusCode, error, durationMs FROM delivery_attempt
                        WHERE deliveryId = \(d.id) ORDER BY attempt
                        """
                    ).map { r in
                        let (deliveryId, attempt, time, statusCode, error, durationMs) = try r.decode(
                            (String, Int, Double, Int?, String?, Double).self
                        )
                        return DeliveryAttempt(
                            deliveryId: deliveryId,
                            attempt: attempt,
                            time: time,
                            statusCode: statusCode,
                            error: error,
                            durationMs: durationMs
                        )
                    }
                )
            }
            return AlertDetail(alert: a, notifications: notes)
        }
    }

    func marginNotices() throws -> [String: Double] {
        var out: [String: Double] = [:]
        for row in try run("SELECT market, margin FROM margin_notice") {
            let (market, margin) = try row.decode((String, Double).self)
            out[market] = margin
        }
        return out
    }
}
