import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Logging
import Testing

@testable import BreakwaterServer

/// A resume through one replica ends the band and velocity halts on the others too (not only a
/// manual halt): `resumedAt` in the shared store; a halt begun after it stays.
extension SharedHaltsTests {
    /// Quotes of `price` from all three sources of M0 at `t`, then a tick.
    func feed(_ monitor: Monitor, price: Double, at t: EpochSeconds) async {
        for source in ["a", "b", "c"] {
            _ = await monitor.ingestPush(
                source: source,
                quotes: [PushQuote(market: "M0", price: price, time: t)],
                now: t
            )
        }
        await monitor.tick(now: t)
    }

    @Test func aResumeThroughOneReplicaEndsTheOthersVelocityHaltButNotALaterOne() async throws {
        let (storeA, storeB) = try await SharedReplica.stores()
        let (a, b) = (try await replica(storeA), try await replica(storeB))
        let t0 = MonitorTickTests.t0
        for m in [a, b] {
            await feed(m, price: 100, at: t0 + 1.1)
            await feed(m, price: 100, at: t0 + 2.5)
            await feed(m, price: 80, at: t0 + 3)  // a 20 % fall: a velocity halt on both
            #expect(await m.markets[0].state == .halted)
            #expect(await m.markets[0].reasons.contains(.velocity))
        }
        try await a.resume(market: "M0", by: "alice", now: t0 + 3.2)
        #expect(await a.markets[0].state != .halted)
        #expect(try storeA.loadMarketStates().first { $0.market == "M0" }?.resumedAt == t0 + 3.2)

        await b.applySharedManualHalts(try storeB.loadMarketStates(), now: t0 + 3.3)
        let reasons = await b.markets[0].reasons
        #expect(await b.markets[0].state != .halted, "\(reasons)")
        // A new fall on B after the resume halts it again; the same stored resume does not end it.
        await feed(b, price: 80, at: t0 + 3.4)
        await feed(b, price: 60, at: t0 + 3.6)
        #expect(await b.markets[0].state == .halted)
        await b.applySharedManualHalts(try storeB.loadMarketStates(), now: t0 + 3.7)
        #expect(await b.markets[0].state == .halted)
        #expect(await b.markets[0].reasons.contains(.velocity))
    }
}
