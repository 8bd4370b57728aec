import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Testing

/// A fresh database path in a new temporary directory.
func tempDBPath() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-store-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("breakwater.sqlite").path
}

/// A stored alert `id` with fingerprint `fp`, started and updated at `t` (epoch seconds).
func alert(
    _ id: String,
    fp: String,
    market: String = "BTC-USD",
    type: String = "breaker.halted",
    status: AlertStatus = .firing,
    at t: Double
) -> AlertRecord {
    AlertRecord(
        id: id,
        fingerprint: fp,
        type: type,
        market: market,
        source: nil,
        severity: "critical",
        status: status,
        startsAt: t,
        endsAt: nil,
        summary: "s",
        data: "{}",
        updatedAt: t
    )
}

/// The backends every store test runs against.
enum StoreBackendKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// Where a test's data lives, to open (and reopen) a store on it: a new SQLite file, or a new
/// database on the tests' PostgreSQL server.
struct StorePlace: Sendable {
    var backend: StoreBackendKind
    /// The SQLite file or the PostgreSQL URL.
    var location: String

    static func fresh(_ backend: StoreBackendKind) async throws -> StorePlace {
        switch backend {
        case .sqlite: StorePlace(backend: backend, location: tempDBPath())
        case .postgres: StorePlace(backend: backend, location: try await TestPostgres.shared().newDatabase())
        }
    }

    /// A store on this place (migrated; the same data each time).
    func open() throws -> RiskStateStore {
        switch backend {
        case .sqlite: try RiskStateStore(path: location)
        case .postgres: try RiskStateStore(postgres: try DatabaseURL(location), logger: Logger(label: "test"))
        }
    }
}

/// A store on a fresh, empty place of `backend`.
func freshStore(_ backend: StoreBackendKind) async throws -> RiskStateStore {
    try await StorePlace.fresh(backend).open()
}
