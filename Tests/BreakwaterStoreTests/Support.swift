import BreakwaterStore
import Foundation

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
