import BreakwaterConfig
import BreakwaterEngine
import BreakwaterTestSupport
import Foundation
import Logging
import Testing

@testable import BreakwaterServer

/// The engine's events in the log: a breaker transition says the reasons it left and entered;
/// a source's status changes make one line per market and source a second: 16 flaps, one line.
struct EventLogTests {
    func status(
        _ source: String,
        _ from: SourceStatus,
        _ to: SourceStatus,
        at t: EpochSeconds,
        market: String = "M0"
    )
        -> EngineEvent
    {
        EngineEvent(
            kind: .sourceStatus,
            market: market,
            source: source,
            from: from.rawValue,
            to: to.rawValue,
            price: 100,
            time: t
        )
    }

    /// 16 changes of `source` ok -> outlier -> ok ... in under a second from `t` (ending ok).
    func flap(_ source: String, from t: EpochSeconds, market: String = "M0") -> [EngineEvent] {
        (0..<16).map { k in
            k % 2 == 0
                ? status(source, .ok, .outlier, at: t + Double(k) * 0.06, market: market)
                : status(source, .outlier, .ok, at: t + Double(k) * 0.06, market: market)
        }
    }

    @Test func aBreakerTransitionSaysTheReasonsItLeft() {
        let (logger, log) = RecordingLogHandler.logger()
        var events = EventLog(logger: logger)
        events.log([
            EngineEvent(
                kind: .breakerTransition,
                market: "M0",
                from: "limit",
                to: "limit",
                fromReasons: [.warming, .quorumLost],
                reasons: [.quorumLost],
                price: nil,
                time: 10
            )
        ])
        let line = log.lines("breaker.transition")
        #expect(line.count == 1)
        #expect(line.first?.metadata["fromReasons"] == "warming,quorum_lost")
        #expect(line.first?.metadata["reasons"] == "quorum_lost")
        #expect(line.first?.metadata["from"] == "limit" && line.first?.metadata["to"] == "limit")
    }

    @Test func aSourceFlappingWithinASecondIsLoggedOnce() {
        let (logger, log) = RecordingLogHandler.logger()
        var events = EventLog(logger: logger)
        events.log(flap("c", from: 100))
        events.logHeld(at: 100.95)
        // Held while the window is open.
        #expect(log.lines("source.status").isEmpty)
        // Once the second has passed: one line, from the status before the first change to the last one reached.
        events.logHeld(at: 101.0)
        let lines = log.lines("source.status")
        #expect(lines.count == 1)
        let held = lines.first?.metadata ?? [:]
        #expect(held["from"] == "ok" && held["to"] == "ok")
        #expect(held["changes"] == "16")
        #expect(held["seconds"] == "0.9")
        #expect(held["source"] == "c" && held["market"] == "M0")
        // Nothing more until it changes again; a single change is one plain line once its window has passed.
        events.logHeld(at: 105)
        events.log([status("c", .ok, .stale, at: 106)])
        events.logHeld(at: 106.5)
        #expect(log.lines("source.status").count == 1)
        events.logHeld(at: 107)
        #expect(log.lines("source.status").count == 2)
        let single = log.lines("source.status").last?.metadata ?? [:]
        #expect(single["from"] == "ok" && single["to"] == "stale" && single["changes"] == nil)
    }

    @Test func aChangeAfterItsWindowClosesItFirst() {
        let (logger, log) = RecordingLogHandler.logger()
        var events = EventLog(logger: logger)
        events.log([status("c", .ok, .outlier, at: 100), status("c", .outlier, .stale, at: 101.5)])
        #expect(log.lines("source.status").map { $0.metadata["to"] } == ["outlier"])
        events.logHeld(at: 102.5)
        #expect(log.lines("source.status").map { $0.metadata["to"] } == ["outlier", "stale"])
    }

    @Test func aSourceThatKeepsFlappingLogsOnceASecond() {
        let (logger, log) = RecordingLogHandler.logger()
        var events = EventLog(logger: logger)
        // 160 changes over 10 s, logHeld on a 250 ms tick.
        for second in 0..<10 {
            let t = 100 + Double(second)
            let batch = flap("c", from: t)
            for q in 0..<4 {
                events.log(batch.filter { $0.time >= t + Double(q) * 0.25 && $0.time < t + Double(q + 1) * 0.25 })
                events.logHeld(at: t + Double(q + 1) * 0.25)
            }
        }
        let lines = log.lines("source.status")
        #expect((10...11).contains(lines.count))
        let counted = lines.reduce(0) { $0 + (Int($1.metadata["changes"] ?? "1") ?? 0) }
        #expect(counted == 160)
        #expect(lines.last?.metadata["to"] == "ok")
    }

    @Test func sourcesAndMarketsAreLimitedApartAndOtherEventsNever() {
        let (logger, log) = RecordingLogHandler.logger()
        var events = EventLog(logger: logger)
        let spreads: [EngineEvent] = (0..<5).map { (k: Int) -> EngineEvent in
            let wide = k % 2 == 0
            return EngineEvent(
                kind: .spread,
                market: "M0",
                from: wide ? "normal" : "wide",
                to: wide ? "wide" : "normal",
                price: 100,
                time: 100 + Double(k) / 10
            )
        }
        var all: [EngineEvent] = flap("a", from: 100)
        all += flap("b", from: 100)
        all += flap("a", from: 100, market: "M1")
        all += spreads
        all.sort { $0.time < $1.time }
        events.log(all)
        #expect(log.lines("source.status").isEmpty)
        #expect(log.lines("market.spread").count == 5)
        // At shutdown every held change is written, whatever the time: one line per market and source.
        events.logHeld(at: 100.1, closingAll: true)
        let lines = log.lines("source.status")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.metadata["changes"] == "16" })
        #expect(
            Set(lines.map { "\($0.metadata["market"] ?? "")/\($0.metadata["source"] ?? "")" }) == [
                "M0/a", "M0/b", "M1/a",
            ]
        )
    }

    static let t0: EpochSeconds = 1_700_000_000

    /// Through the monitor: three push sources, `c` pushed 3 % off and back 16 times within a second.
    @Test func theMonitorLogsAFlappingSourceOnceAndTheWarmingItLeft() async throws {
        let config = """
            {"server": {"port": 0, "tickMs": 250}, "storage": {"path": "/dev/null"},
             "markets": [{"id": "M0", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}, {"id": "b", "kind": "push", "tokenEnv": "TB"},
                                                  {"id": "c", "kind": "push", "tokenEnv": "TC"}],
                          "aggregation": {"minSources": 2, "maxAgeMs": 2000, "maxDeviation": 0.01}}]}
            """
        let (logger, log) = RecordingLogHandler.logger()
        let monitor = try Monitor(config: ConfigLoader.parse(Data(config.utf8)), start: Self.t0, logger: logger)
        var t = Self.t0 + 1
        _ = await monitor.ingestPush(source: "a", quotes: [PushQuote(market: "M0", price: 100, time: t)], now: t)
        await monitor.tick(now: t)
        // Warming ends (at t0 + maxAge) with one source of the two needed: the line says warming was left.
        t = Self.t0 + 2.5
        await monitor.tick(now: t)
        let transitions = log.lines("breaker.transition")
        let left = try #require(transitions.last)
        #expect(left.metadata["fromReasons"]?.contains("warming") == true)
        #expect(left.metadata["reasons"]?.contains("warming") == false)
        #expect(left.metadata["reasons"]?.contains("quorum_lost") == true)

        for source in ["a", "b"] {
            _ = await monitor.ingestPush(source: source, quotes: [PushQuote(market: "M0", price: 100, time: t)], now: t)
        }
        for k in 0..<16 {
            let at = t + 0.05 + Double(k) * 0.05
            _ = await monitor.ingestPush(
                source: "c",
                quotes: [PushQuote(market: "M0", price: k % 2 == 0 ? 103 : 100, time: at)],
                now: at
            )
        }
        let during = log.lines("source.status").filter { $0.metadata["source"] == "c" }
        #expect(during.isEmpty)
        await monitor.tick(now: t + 1.25)
        let lines = log.lines("source.status").filter { $0.metadata["source"] == "c" }
        #expect(lines.count == 1)
        #expect(lines.last?.metadata["to"] == "ok")
        #expect(lines.last?.metadata["changes"] != nil)
    }
}
