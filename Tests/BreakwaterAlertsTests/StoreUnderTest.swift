import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Testing

/// A fresh store of either backend for the alert tests, and its database reached from another
/// process (`python3`'s sqlite3, or `psql`), as another client would: to read it, or to make it
/// refuse writes.
struct StoreUnderTest: Sendable {
    enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite
        case postgres

        var testDescription: String { rawValue }
    }

    let backend: Backend
    /// The SQLite file, or the PostgreSQL URL.
    let location: String
    let store: RiskStateStore

    /// A new, empty database of `backend` and a store on it.
    static func fresh(_ backend: Backend) async throws -> StoreUnderTest {
        switch backend {
        case .sqlite:
            let path = tempDBPath()
            return StoreUnderTest(backend: backend, location: path, store: try RiskStateStore(path: path))
        case .postgres:
            let url = try await TestPostgres.shared().newDatabase()
            let store = try RiskStateStore(postgres: try DatabaseURL(url), logger: Logger(label: "test"))
            return StoreUnderTest(backend: backend, location: url, store: store)
        }
    }

    /// Runs `sql` (statements separated by `;`) on the database from another process; the rows
    /// it printed, one a line, columns separated by `|`.
    @discardableResult
    func sql(_ sql: String) async throws -> String {
        switch backend {
        case .sqlite:
            let script = """
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1], isolation_level=None)
                if sys.argv[2].lstrip().upper().startswith('SELECT'):
                    for row in c.execute(sys.argv[2]):
                        print('|'.join(str(v) for v in row))
                else:
                    c.executescript(sys.argv[2])
                """
            let r = try await ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["python3", "-c", script, location, sql]
            )
            guard r.status == 0 else { throw Failure(description: "sqlite3 \(sql): \(r.errors)") }
            return r.output
        case .postgres:
            let name = String(location.split(separator: "/").last ?? "")
            return try await TestPostgres.shared().psql(sql, database: name)
        }
    }

    /// Makes the database refuse every notification of `market` (its transaction fails at that
    /// row) until ``acceptEverything()``.
    func refuseDeliveries(of market: String) async throws {
        switch backend {
        case .sqlite:
            try await sql(
                """
                CREATE TRIGGER refuse_delivery BEFORE INSERT ON delivery WHEN NEW.fingerprint LIKE '\(market)/%'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
                """
            )
        case .postgres:
            try await sql(
                """
                CREATE FUNCTION refuse_delivery() RETURNS trigger LANGUAGE plpgsql
                    AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
                CREATE TRIGGER refuse_delivery BEFORE INSERT ON delivery FOR EACH ROW
                    WHEN (NEW.fingerprint LIKE '\(market)/%') EXECUTE FUNCTION refuse_delivery();
                """
            )
        }
    }

    /// Ends ``refuseDeliveries(of:)``.
    func acceptEverything() async throws {
        switch backend {
        case .sqlite: try await sql("DROP TRIGGER refuse_delivery;")
        case .postgres: try await sql("DROP TRIGGER refuse_delivery ON delivery; DROP FUNCTION refuse_delivery();")
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}
