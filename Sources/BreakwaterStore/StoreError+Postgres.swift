import PostgresNIO

extension StoreError {
    /// Translates a PostgreSQL (or connection) error into an actionable message; `location` is
    /// the URL without its password.
    static func wrap(postgres error: any Error, location: String) -> StoreError {
        if let e = error as? StoreError { return e }
        guard let e = error as? PSQLError else {
            return StoreError(
                kind: .unavailable,
                path: location,
                message: "cannot reach the database server (\(error)); check that PostgreSQL is running and "
                    + "reachable, and the URL in storage.urlEnv"
            )
        }
        let state = e.serverInfo?[.sqlState] ?? ""
        let text = e.serverInfo?[.message] ?? "\(e.code)"
        switch (e.code, state) {
        case (.server, "28P01"), (.server, "28000"):
            return StoreError(
                kind: .unwritable,
                path: location,
                message: "login refused (\(text)); check the user and password in the URL storage.urlEnv names"
            )
        case (.server, "3D000"):
            return StoreError(
                kind: .unwritable,
                path: location,
                message: "no such database (\(text)); create it (createdb) or fix the URL storage.urlEnv names"
            )
        case (.server, "53100"):
            return StoreError(kind: .diskFull, path: location, message: "the database server's disk is full (\(text))")
        case (.server, "40001"), (.server, "40P01"), (.server, "55P03"):
            return StoreError(kind: .busy, path: location, message: "conflict with another replica (\(text)); retry")
        case (.server, let s) where s.hasPrefix("57P") || s.hasPrefix("08"):
            return StoreError(
                kind: .unavailable,
                path: location,
                message: "the database server is shutting down or restarting (\(text)); it is retried"
            )
        case (.server, _):
            return StoreError(kind: .other, path: location, message: "\(text) (SQLSTATE \(state))")
        default:
            return StoreError(
                kind: .unavailable,
                path: location,
                message: "cannot reach the database server (\(e.code)\(e.underlying.map { ": \($0)" } ?? "")); "
                    + "check that PostgreSQL is running and reachable, and the URL in storage.urlEnv"
            )
        }
    }
}
