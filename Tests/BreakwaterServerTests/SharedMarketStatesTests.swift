import BreakwaterAlerts
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import Foundation
import Logging
import Metrics
import Synchronization
import Testing

@testable import BreakwaterServer

/// Replicas on one PostgreSQL database publish the same margins and the freshest last good
/// price: the holder of the alert lease alone stores its markets' states, the others adopt them.
struct SharedMarketStatesTests {
    static let t0: EpochSeconds = 1_700_000_000

    /// One market whose volatility follows its prices within seconds (1 s samples, a 5 s
    /// half-life, a one-minute horizon) and whose margin moves as fast as allowed (x1001 an
    /// hour up: about 0.19 % a second), on the database `url`.
    /// `floor`: the maintenance margin's floor.
    static func config(_ url: String, floor: Double = 0.0001) throws -> (BreakwaterConfig, [String: String]) {
        let json = """
            {"server": {"port": 0, "tickMs": 250}, "storage": {"kind": "postgres", "urlEnv": "BW_SHARED_TEST_DB"},
             "markets": [{"id": "M0", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"},
                                                  {"id": "b", "kind": "push", "tokenEnv": "TB"},
                                                  {"id": "c", "kind": "push", "tokenEnv": "TC"}],
                          "aggregation": {"minSources": 2, "maxAgeMs": 3000, "maxDeviation": 0.5},
                          "margin": {"sampleSeconds": 1, "halfLifeSeconds": 5, "horizonSeconds": 60, "distribution": "normal",
                                     "maintenanceFloor": \(floor), "maxIncreasePerHour": 1000, "maxDecreasePerHour": 0.99},
                          "breaker": {"band": 0.9, "velocity": {"move": 0.9}}}]}
            """
        let environment = ["BW_SHARED_TEST_DB": url]
        return (try ConfigLoader.parse(Data(json.utf8), environment: environment), environment)
    }

    /// A replica as `serve` wires one on PostgreSQL: its changes go to its own `Alerting` (the
    /// first to open takes the alert lease), and it knows whether it holds the lease.
    func replica(_ url: String, label: String) async throws -> (Monitor, Alerting, SnapshotBoard) {
        let (config, environment) = try Self.config(url)
        let alerting = try Alerting.open(
            config: config,
            environment: environment,
            metrics: NOOPMetricsHandler.instance,
            logger: Logger(label: label)
        )
        // What the lease service does first in `serve`: the first replica to ask takes it.
        await alerting.lease.renew()
        let board = SnapshotBoard()
        let monitor = try Monitor(config: config, start: Self.t0, board: board, logger: Logger(label: label))
        await monitor.setEventHandler { changes, now in try await alerting.commit(changes, now: now) }
        await monitor.setAlertLeaseCheck { [lease = alerting.lease] in lease.isHeld }
        return (monitor, alerting, board)
    }

    /// Quotes from the three sources at each second from `from` for `seconds`, spread by
    /// `swing` (a fraction, alternating in sign each second), each second ticked.
    func feed(_ monitor: Monitor, from: EpochSeconds, seconds: Int, swing: Double) async {
        for k in 0..<seconds {
            let t = from + Double(k)
            let price = 100 * (1 + (k % 2 == 0 ? swing : -swing))
            for source in ["a", "b", "c"] {
                _ = await monitor.ingestPush(
                    source: source,
                    quotes: [PushQuote(market: "M0", price: price, time: t)],
                    now: t
                )
            }
            await monitor.tick(now: t + 0.5)
        }
    }

    /// What a reader of `GET /v1/markets/M0` gets: the board's snapshot.
    func published(_ board: SnapshotBoard) -> MarketSnapshot {
        var s: MarketSnapshot?
        board.update { p in s = p.index["M0"].map { p.markets[$0] } }
        return s!
    }

    @Test func theReplicaWithoutTheLeasePublishesTheHoldersMarginsAndDoesNotStoreItsOwn() async throws {
        let url = try await TestPostgres.shared().newDatabase()
        let (holder, holderAlerting, holderBoard) = try await replica(url, label: "holder")
        let (other, otherAlerting, otherBoard) = try await replica(url, label: "other")
        #expect(holderAlerting.lease.isHeld && !otherAlerting.lease.isHeld)
        // The holder's market is calm, the other's swings 2 % a second: their own margins differ.
        await feed(holder, from: Self.t0 + 1, seconds: 30, swing: 0)
        await feed(other, from: Self.t0 + 1, seconds: 30, swing: 0.02)
        let (mine, theirs) = (published(holderBoard), published(otherBoard))
        // Rate-bounded: 30 s of rises (x1.06) against 30 s of falls (x0.96 at most).
        #expect(
            theirs.longMaintenanceMargin > 1.03 * mine.longMaintenanceMargin,
            "\(theirs.longMaintenanceMargin) vs \(mine.longMaintenanceMargin)"
        )
        #expect(mine.longMaintenanceMargin != mine.shortMaintenanceMargin)

        // The store holds the holder's figures: the other's ticks wrote none of its own.
        let stored = try #require(try otherAlerting.store.loadMarketStates().first)
        #expect(stored.longMaintenanceMargin == mine.longMaintenanceMargin)
        #expect(stored.shortMaintenanceMargin == mine.shortMaintenanceMargin)
        #expect(stored.maintenanceMargin == mine.maintenanceMargin)

        // One read of the shared store later, the other publishes the holder's margins per side.
        await other.adoptSharedMarketStates(try otherAlerting.store.loadMarketStates(), now: Self.t0 + 31)
        let adopted = published(otherBoard)
        #expect(adopted.longMaintenanceMargin == mine.longMaintenanceMargin)
        #expect(adopted.shortMaintenanceMargin == mine.shortMaintenanceMargin)
        #expect(adopted.maintenanceMargin == mine.maintenanceMargin && adopted.initialMargin == mine.initialMargin)
        // The holder adopts nothing: its own margins stand.
        await holder.adoptSharedMarketStates(try holderAlerting.store.loadMarketStates(), now: Self.t0 + 31)
        #expect(published(holderBoard).longMaintenanceMargin == mine.longMaintenanceMargin)

        // Its own margin continues from the adopted one under the rate bound: after one more
        // wild second it rose from the holder's figure, not from its former own.
        await feed(other, from: Self.t0 + 31, seconds: 1, swing: 0.02)
        let next = published(otherBoard).longMaintenanceMargin
        #expect(next >= mine.longMaintenanceMargin && next < theirs.longMaintenanceMargin, "\(next)")
        #expect(try otherAlerting.store.loadMarketStates().first?.longMaintenanceMargin == mine.longMaintenanceMargin)
        #expect(!otherAlerting.lease.isHeld)
    }

    @Test func theStoredLastGoodPriceIsAdoptedOnlyWhenNewerThanTheReplicasOwn() async throws {
        let url = try await TestPostgres.shared().newDatabase()
        let (holder, holderAlerting, holderBoard) = try await replica(url, label: "holder")
        let (other, _, otherBoard) = try await replica(url, label: "other")
        let store = holderAlerting.store
        // The other's feeds stop at t0 + 5; the holder's go on to t0 + 10 and it stores its price.
        await feed(other, from: Self.t0 + 1, seconds: 5, swing: 0)
        await feed(holder, from: Self.t0 + 1, seconds: 10, swing: 0.001)
        await other.tick(now: Self.t0 + 15)
        #expect(published(otherBoard).price == nil && published(otherBoard).lastGoodPriceTime == Self.t0 + 5)
        let saved = try #require(try store.loadMarketStates().first)
        #expect(saved.lastGoodPriceTime == Self.t0 + 10 && saved.lastGoodPrice == published(holderBoard).lastGoodPrice)

        await other.adoptSharedMarketStates(try store.loadMarketStates(), now: Self.t0 + 15)
        #expect(published(otherBoard).lastGoodPrice == saved.lastGoodPrice)
        #expect(published(otherBoard).lastGoodPriceTime == Self.t0 + 10)

        // An older stored price (a holder whose feeds stopped first) is not taken.
        var older = saved
        (older.lastGoodPrice, older.lastGoodPriceTime) = (123, Self.t0 + 7)
        await other.adoptSharedMarketStates([older], now: Self.t0 + 16)
        #expect(published(otherBoard).lastGoodPrice == saved.lastGoodPrice)
        #expect(published(otherBoard).lastGoodPriceTime == Self.t0 + 10)
    }

    /// A replica that gains the lease stores every market's state at its next tick, though it
    /// handed them over (unstored) while it did not hold it.
    @Test func aReplicaGainingTheLeaseStoresEveryMarketAtItsNextTick() async throws {
        // Margins pinned at a high floor: with steady quotes the market's saved state stays put.
        let (config, _) = try Self.config("postgres://unused@127.0.0.1:1/unused", floor: 0.2)
        let monitor = try Monitor(config: config, start: Self.t0, logger: Logger(label: "gaining"))
        let holds = Mutex(false)
        let handed = Mutex<[String]>([])
        await monitor.setEventHandler { changes, _ in handed.withLock { $0 += changes.map(\.snapshot.id) } }
        await monitor.setAlertLeaseCheck { holds.withLock { $0 } }
        await feed(monitor, from: Self.t0 + 1, seconds: 3, swing: 0)
        await monitor.adoptSharedMarketStates([], now: Self.t0 + 3.6)
        await monitor.tick(now: Self.t0 + 3.75)
        handed.withLock { $0 = [] }
        await monitor.tick(now: Self.t0 + 4)
        #expect(handed.withLock { $0 }.isEmpty, "nothing changed: nothing handed over")
        holds.withLock { $0 = true }
        await monitor.adoptSharedMarketStates([], now: Self.t0 + 4.3)
        await monitor.tick(now: Self.t0 + 4.5)
        #expect(handed.withLock { $0 } == ["M0"], "every market (M0 is the only one) handed over to be stored")
    }
}
