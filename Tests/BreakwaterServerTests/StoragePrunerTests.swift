import BreakwaterStore
import Foundation
import Logging
import Testing

@testable import BreakwaterServer

/// The pruner deletes what is older than `retentionDays` days, batch after batch, and no more.
struct StoragePrunerTests {
    @Test func prunesPastTheRetentionInBatchesUntilNothingIsLeft() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-prune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try RiskStateStore(path: dir.appendingPathComponent("state.sqlite").path)
        let now = 1_800_000_000.0
        let day = 86_400.0
        func resolved(_ id: String, daysAgo: Double) throws {
            let t = now - daysAgo * day
            let alert = AlertRecord(
                id: id,
                fingerprint: id,
                type: "breaker.halted",
                market: "BTC-USD",
                source: nil,
                severity: "critical",
                status: .resolved,
                startsAt: t - 60,
                endsAt: t,
                summary: "s",
                data: "{}",
                updatedAt: t
            )
            try store.record(AlertBatch(alerts: [alert]))
        }
        for i in 0..<7 { try resolved("old\(i)", daysAgo: 30.01) }
        try resolved("kept", daysAgo: 29.99)
        var pruner = StoragePruner(
            store: store,
            retentionDays: 30,
            intervalSeconds: 3600,
            logger: Logger(label: "test"),
            now: { now }
        )
        pruner.batchSize = 3
        #expect(await pruner.pruneOnce() == PruneResult(alerts: 7, deliveries: 0))
        #expect(try store.listAlerts().alerts.map(\.id) == ["kept"])
        #expect(await pruner.pruneOnce() == PruneResult())
    }
}
