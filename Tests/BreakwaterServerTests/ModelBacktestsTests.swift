import BreakwaterAlerts
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import Foundation
import Logging
import Synchronization
import Testing

@testable import BreakwaterServer

/// The monitor's share of the live backtest: nothing finished is lost while storage fails, and
/// the `model.breach` state changes are handed over once each.
struct ModelBacktestsTests {
    /// What the monitor handed to its model handler; refuses while `failing`.
    final class Stored: Sendable {
        let windows = Mutex<[BacktestWindowRecord]>([])
        let conditions = Mutex<[AlertCondition]>([])
        let failing = Mutex(true)
        func add(_ w: [BacktestWindowRecord], _ c: [AlertCondition]) throws {
            if failing.withLock({ $0 }) { throw NotStored(reason: "test storage down", busy: false) }
            windows.withLock { $0 += w }
            conditions.withLock { $0 += c }
        }
    }

    static let config = """
        {"server": {"port": 0, "tickMs": 1000}, "storage": {"path": "/nonexistent/never-opened.sqlite"},
         "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}],
           "aggregation": {"minSources": 1, "maxAgeMs": 30000},
           "margin": {"sampleSeconds": 10, "horizonSeconds": 10}}]}
        """

    @Test func windowsWaitForStorageAndAreHandedOverOnce() async throws {
        let cfg = try ConfigLoader.parse(Data(Self.config.utf8))
        let t0: EpochSeconds = 1_800_000_000
        let monitor = try Monitor(config: cfg, start: t0, logger: Logger(label: "test"))
        let stored = Stored()
        await monitor.setModelHandler { w, c, _ in try stored.add(w, c) }
        var price = 100.0
        for k in 0...30 {
            let t = t0 + 10 * Double(k) + 1
            if k == 10 { price *= 0.98 }
            _ = await monitor.ingestPush(
                source: "a",
                quotes: [PushQuote(market: "BTC-USD", price: price, time: t)],
                now: t
            )
            await monitor.tick(now: t)
        }
        #expect(stored.windows.withLock { $0.isEmpty })
        let report = try #require(await monitor.modelReports["BTC-USD"])
        #expect(report.windows == 30)
        // Storage is back: this tick closes one more window and hands over all 31, in order.
        stored.failing.withLock { $0 = false }
        await monitor.tick(now: t0 + 311)
        let windows = stored.windows.withLock { $0 }
        #expect(windows.map(\.endTime) == (1...31).map { t0 + 10 * Double($0) })
        #expect(windows.filter { $0.endPrice! < $0.startPrice }.count == 1)
        // One fall in 30 windows reads yellow: one warning opened, handed over once.
        let conditions = stored.conditions.withLock { $0 }
        #expect(conditions.map(\.active) == [true] && conditions.first?.severity == .warning)
        #expect(conditions.first?.details.side == "long")
        await monitor.tick(now: t0 + 312)
        #expect(stored.windows.withLock { $0.count } == 31 && stored.conditions.withLock { $0.count } == 1)
    }
}
