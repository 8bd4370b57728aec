import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire
import Foundation
import Logging
import NIOCore
import Synchronization
import Testing

@testable import BreakwaterServer

/// A tick evaluates every market but hands over (to alerts and storage) only the markets whose
/// saved state changed, and encodes no body: a read encodes it, at the tick's time.
struct MonitorTickTests {
    /// What the monitor handed to its event handler, call by call.
    final class Handed: Sendable {
        struct Call: Sendable {
            var events: [EngineEvent]
            var markets: [String]
            var now: EpochSeconds
        }
        private let calls = Mutex<[Call]>([])
        let failing = Mutex(false)
        /// Hand-overs refused while `failing`.
        let refused = Mutex(0)
        func add(_ changes: [MarketChange], _ now: EpochSeconds) throws {
            if failing.withLock({ $0 }) {
                refused.withLock { $0 += 1 }
                throw NotStored(reason: "test storage down", busy: false)
            }
            calls.withLock {
                $0.append(Call(events: changes.flatMap(\.events), markets: changes.map(\.market), now: now))
            }
        }
        func take() -> [Call] {
            calls.withLock { c in
                defer { c = [] }
                return c
            }
        }
    }

    static let t0: EpochSeconds = 1_700_000_000
    static let config = """
        {"server": {"port": 0, "tickMs": 250}, "storage": {"path": "/dev/null"},
         "markets": [{"id": "M0", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}, {"id": "b", "kind": "push", "tokenEnv": "TB"},
                                              {"id": "c", "kind": "push", "tokenEnv": "TC"}], "aggregation": {"minSources": 2, "maxAgeMs": 2000}},
                     {"id": "M1", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}, {"id": "b", "kind": "push", "tokenEnv": "TB"},
                                              {"id": "c", "kind": "push", "tokenEnv": "TC"}], "aggregation": {"minSources": 2, "maxAgeMs": 2000}}]}
        """

    /// A monitor whose markets M0 and M1 (warming until t0 + 2) got one quote per source at
    /// t0 + 1.1 (M1's from source a only), ticked to t0 + 1.25.
    func makeMonitor() async throws -> (Monitor, Handed) {
        let monitor = try Monitor(
            config: ConfigLoader.parse(Data(Self.config.utf8)),
            start: Self.t0,
            logger: Logger(label: "tick-test")
        )
        let handed = Handed()
        await monitor.setEventHandler { changes, now in try handed.add(changes, now) }
        let t = Self.t0 + 1.1
        for (source, price) in [("a", 100.0), ("b", 100.5), ("c", 101.0)] {
            var quotes = [PushQuote(market: "M0", price: price, time: t)]
            if source == "a" { quotes.append(PushQuote(market: "M1", price: 7, time: t)) }
            let result = await monitor.ingestPush(source: source, quotes: quotes, now: t)
            #expect(result.rejected.isEmpty && result.notStored == nil)
        }
        await monitor.tick(now: Self.t0 + 1.25)
        return (monitor, handed)
    }

    /// When market `id`'s body was last encoded, nil when it was not since its last publication.
    func builtAt(_ board: SnapshotBoard, _ id: String) -> EpochSeconds? {
        var t: EpochSeconds?
        board.update { p in t = p.index[id].map { p.builtAt[$0] }.flatMap { $0.isFinite ? $0 : nil } }
        return t
    }

    func field(_ body: ByteBuffer?, _ name: String) -> String? {
        guard let body else { return nil }
        let text = String(buffer: body)
        guard let r = text.range(of: "\"\(name)\":") else { return nil }
        return String(text[r.upperBound...].prefix { $0 != "," && $0 != "}" })
    }

    @Test func aTickWithNothingDueStoresNothingAndEncodesNothing() async throws {
        let (monitor, handed) = try await makeMonitor()
        let board = await monitor.board
        _ = board.marketJSON("M0")
        _ = handed.take()
        for t in [1.5, 1.75] { await monitor.tick(now: Self.t0 + t) }
        let calls = handed.take()
        // Still called on each tick (reminders fall due with time), with nothing to store.
        #expect(calls.count == 2)
        #expect(calls.allSatisfy { $0.events.isEmpty && $0.markets.isEmpty }, "\(calls.map(\.markets))")
        // M0's body is still the one read at +1.25 (it is older than the board's time, so the
        // next read encodes it again); M1 was never read.
        #expect(builtAt(board, "M0") == Self.t0 + 1.25 && builtAt(board, "M1") == nil, "no body encoded by a tick")
        // Reads show the last tick: asOf, validUntil and ages move with it.
        let body = board.marketJSON("M0")
        let validity = await monitor.validitySeconds
        #expect(field(body, "asOf") == WireJSON.string(RFC3339.format(Self.t0 + 1.75)))
        #expect(field(body, "validUntil") == WireJSON.string(RFC3339.format(Self.t0 + 1.75 + validity)))
        #expect(field(body, "ageMs") == "650")
        #expect(builtAt(board, "M0") == Self.t0 + 1.75, "encoded at the read")
        #expect(builtAt(board, "M1") == nil, "a market nobody read is never encoded")
        let current = board.current
        #expect(current.asOf == Self.t0 + 1.75)
        #expect(current.markets.allSatisfy { $0.asOf == Self.t0 + 1.75 })
        #expect(current.markets[0].sources[0].ageSeconds.map { abs($0 - 0.65) < 1e-6 } == true)
        let health = String(buffer: board.healthJSON())
        #expect(
            health.contains("\"asOf\":\(WireJSON.string(RFC3339.format(Self.t0 + 1.75)))")
                && health.contains("\"priceAgeMs\":650"),
            "\(health)"
        )
    }

    @Test func warmingEndAndStalenessFallDueAtTheirTicks() async throws {
        let (monitor, handed) = try await makeMonitor()
        let board = await monitor.board
        _ = handed.take()
        var byTick: [EpochSeconds: [Handed.Call]] = [:]
        var bodies: [EpochSeconds: String] = [:]
        var t = Self.t0 + 1.5
        while t <= Self.t0 + 4 {
            await monitor.tick(now: t)
            byTick[t] = handed.take()
            bodies[t] = board.marketJSON("M0").map { String(buffer: $0) }
            t += 0.25
        }
        // Warming ends at t0 + 2: both markets change then and are handed over and republished.
        let warmEnd = byTick[Self.t0 + 2] ?? []
        #expect(warmEnd.flatMap(\.markets).sorted() == ["M0", "M1"], "\(warmEnd.map(\.markets))")
        // The quotes of t0 + 1.1 are older than maxAgeMs (2 s) from the tick at t0 + 3.25.
        let stale = byTick[Self.t0 + 3.25] ?? []
        let staleEvents = stale.flatMap(\.events).filter { $0.kind == .sourceStatus && $0.to == "stale" }
        #expect(Set(staleEvents.compactMap(\.source)) == ["a", "b", "c"], "\(stale.flatMap(\.events))")
        #expect(staleEvents.allSatisfy { $0.time == Self.t0 + 3.25 })
        #expect(stale.flatMap(\.markets).contains("M0"))
        #expect(bodies[Self.t0 + 3]?.contains("\"status\":\"stale\"") == false)
        #expect(bodies[Self.t0 + 3.25]?.contains("\"status\":\"stale\"") == true)
        #expect(bodies[Self.t0 + 3.25]?.contains("\"asOf\":\(WireJSON.string(RFC3339.format(Self.t0 + 3.25)))") == true)
        // Between the changes, nothing.
        for quiet in [2.25, 2.5, 2.75, 3.0, 3.75, 4.0] {
            #expect(
                byTick[Self.t0 + quiet]?.allSatisfy { $0.markets.isEmpty && $0.events.isEmpty } == true,
                "tick at +\(quiet)"
            )
        }
    }

    /// What the board holds for market `i`, as last posted (not read at the board's time).
    func posted(_ board: SnapshotBoard, _ i: Int) -> MarketSnapshot {
        var s: MarketSnapshot?
        board.update { s = $0.markets[i] }
        return s!
    }

    /// A tick posts only the markets it changed (the rest are read at the tick's time), and
    /// where the band reference alone moved, that reference: a read shows the engine's.
    @Test func aTickPostsOnlyWhatItChangedAndTheReferenceWhereItAloneMoved() async throws {
        let (monitor, _) = try await makeMonitor()
        let board = await monitor.board
        #expect(
            posted(board, 0).asOf == Self.t0 + 1.25 && posted(board, 1).asOf == Self.t0 + 1.25,
            "the first tick posts every market"
        )
        // M0 moves to 102 at +1.3: from then on its time-weighted reference drifts from 100.5
        // towards 102 at every tick, while nothing else of it changes until warming ends.
        let t = Self.t0 + 1.3
        for source in ["a", "b", "c"] {
            _ = await monitor.ingestPush(source: source, quotes: [PushQuote(market: "M0", price: 102, time: t)], now: t)
        }
        #expect(posted(board, 0).asOf == t)
        var references: [Double] = []
        for tick in [1.5, 1.75] {
            await monitor.tick(now: Self.t0 + tick)
            #expect(
                posted(board, 0).asOf == t && posted(board, 1).asOf == Self.t0 + 1.25,
                "not snapshotted again at +\(tick)"
            )
            let engineReference = try #require(await monitor.markets[0].referencePrice)
            #expect(field(board.marketJSON("M0"), "reference") == WireJSON.string(engineReference), "at +\(tick)")
            #expect(field(board.marketJSON("M0"), "asOf") == WireJSON.string(RFC3339.format(Self.t0 + tick)))
            references.append(engineReference)
        }
        #expect(references[0] > 100.5 && references[1] > references[0] && references[1] < 102, "\(references)")
        // Warming ends at +2: both markets change, and are posted at that tick.
        await monitor.tick(now: Self.t0 + 2)
        #expect(posted(board, 0).asOf == Self.t0 + 2 && posted(board, 1).asOf == Self.t0 + 2)
    }

    @Test func aChangeWhoseHandOverFailedIsHandedOverAtTheNextTick() async throws {
        let (monitor, handed) = try await makeMonitor()
        for t in [1.5, 1.75] { await monitor.tick(now: Self.t0 + t) }
        _ = handed.take()
        handed.failing.withLock { $0 = true }
        await monitor.tick(now: Self.t0 + 2)  // warming ends: M0 and M1 change, storage fails
        #expect(handed.refused.withLock { $0 } == 1)
        handed.failing.withLock { $0 = false }
        await monitor.tick(now: Self.t0 + 2.25)
        let calls = handed.take()
        #expect(calls.flatMap(\.markets).sorted() == ["M0", "M1"], "\(calls.map(\.markets))")
        #expect(
            calls.flatMap(\.events).contains { $0.kind == .breakerTransition && $0.time == Self.t0 + 2 },
            "the events of the failed hand-over come with it"
        )
        await monitor.tick(now: Self.t0 + 2.5)
        #expect(handed.take().allSatisfy { $0.markets.isEmpty })
    }
}
