import Foundation
import Testing

@testable import BreakwaterConfig

/// `storage`: sqlite (the default, with or without `kind`) or postgres with its URL variable.
struct StorageReaderTests {
    static let market =
        #""markets": [{"id": "A", "sources": [{"id": "p", "kind": "push", "tokenEnv": "T"}], "aggregation": {"minSources": 1}}]"#

    func parse(_ storage: String, environment: [String: String] = [:]) -> Result<StorageConfig, ConfigError> {
        Result {
            try ConfigLoader.parse(Data("{\"storage\": \(storage), \(Self.market)}".utf8), environment: environment)
                .storage
        }.mapError { $0 as! ConfigError }
    }

    func issues(_ storage: String, environment: [String: String] = [:]) -> [String] {
        if case .failure(let e) = parse(storage, environment: environment) { return e.issues.map(\.description) }
        return []
    }

    @Test func theOldFormAndKindSqliteReadTheSame() throws {
        let old = try parse(#"{"path": "data/x.sqlite", "retentionDays": 7}"#).get()
        let new = try parse(#"{"kind": "sqlite", "path": "data/x.sqlite", "retentionDays": 7}"#).get()
        #expect(old == new)
        #expect(old.kind == .sqlite && old.path == "data/x.sqlite" && old.retentionDays == 7)
    }

    @Test func postgresReadsItsURLFromTheNamedVariable() throws {
        let env = ["BW_DB": "postgres://bw:pw@127.0.0.1:5433/risk\n"]
        let c = try parse(#"{"kind": "postgres", "urlEnv": "BW_DB"}"#, environment: env).get()
        #expect(c.kind == .postgres && c.urlEnv == "BW_DB")
        let byDefault = try parse(
            #"{"kind": "postgres"}"#,
            environment: ["BREAKWATER_DATABASE_URL": "postgres://bw@db/risk"]
        ).get()
        #expect(byDefault.urlEnv == "BREAKWATER_DATABASE_URL")
    }

    @Test func postgresProblemsAreNamedWithoutTheSecret() {
        #expect(
            issues(#"{"kind": "postgres"}"#) == [
                "storage.urlEnv: environment variable BREAKWATER_DATABASE_URL is not set (expected postgres://user:password@host:5432/database)"
            ]
        )
        let bad = issues(#"{"kind": "postgres"}"#, environment: ["BREAKWATER_DATABASE_URL": "mysql://u:hunter2@h/db"])
        #expect(bad.count == 1 && bad[0].contains("does not start with postgres://") && !bad[0].contains("hunter2"))
        #expect(
            issues(
                #"{"kind": "postgres", "path": "x.sqlite"}"#,
                environment: ["BREAKWATER_DATABASE_URL": "postgres://u@h/d"]
            )
                == ["storage.path: belongs to kind sqlite (kind postgres reads its URL from storage.urlEnv)"]
        )
        #expect(issues(#"{"kind": "postgres", "urlEnv": "1BAD"}"#).contains { $0.hasPrefix("storage.urlEnv: ") })
        #expect(issues(#"{"kind": "mysql"}"#).contains { $0.hasPrefix("storage.kind: unknown kind \"mysql\"") })
        #expect(issues(#"{"kind": "sqlite", "urlEnv": "X"}"#).contains { $0.contains("urlEnv") })
    }
}
