import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Logging
import Testing

@testable import BreakwaterServer

/// Source switches around a database outage: one made while the store is away holds on its
/// replica and is written when the store returns, unless another replica switched that source
/// meanwhile (then theirs stands, and the log says so).
extension SharedSourcesTests {
    /// Replicas A (its switch writes through `reach`) and B on one database.
    func pair(
        logger: Logger
    ) async throws -> (
        a: Monitor, b: Monitor, storeA: RiskStateStore, storeB: RiskStateStore, reach: SharedHaltsTests.Reachability
    ) {
        let (storeA, storeB) = try await SharedReplica.stores()
        let reach = SharedHaltsTests.Reachability()
        let a = try await SharedReplica.monitor(storeA, label: "a", logger: logger)
        await a.setSourceSwitchWriter { change in
            try reach.check()
            try storeA.saveSourceSwitch(change)
        }
        return (a, try await replica(storeB), storeA, storeB, reach)
    }

    @Test func aSwitchMadeWhileTheStoreIsAwayIsWrittenWhenItReturns() async throws {
        let (a, b, storeA, storeB, reach) = try await pair(logger: Logger(label: "a"))
        let t0 = MonitorTickTests.t0
        reach.set(away: true)
        await #expect(throws: Monitor.OperatorError.self) {
            try await a.setSource(market: "M0", source: "b", enabled: false, by: "alice", now: t0 + 1)
        }
        try await SharedReplica.sync(a, storeA, now: t0 + 1.5)  // read while A's write fails: nothing written
        #expect(try storeB.loadSourceSwitches().isEmpty)
        #expect(await enabled(a, "b") == false)

        reach.set(away: false)
        try await SharedReplica.sync(a, storeA, now: t0 + 2)
        #expect(try storeB.loadSourceSwitches().map(\.enabled) == [false])
        await b.applySharedSourceSwitches(try storeB.loadSourceSwitches(), now: t0 + 2.2)
        #expect(await enabled(b, "b") == false)
        #expect(await enabled(a, "b") == false)
    }

    @Test func anotherReplicasSwitchMadeMeanwhileStandsOverAPendingOne() async throws {
        let (logger, log) = RecordingLogHandler.logger()
        let (a, b, storeA, storeB, reach) = try await pair(logger: logger)
        let t0 = MonitorTickTests.t0
        try await b.setSource(market: "M0", source: "b", enabled: false, by: "bob", now: t0 + 1)
        try await SharedReplica.sync(a, storeA, now: t0 + 1.2)
        #expect(await enabled(a, "b") == false)
        reach.set(away: true)
        await #expect(throws: Monitor.OperatorError.self) {
            try await a.setSource(market: "M0", source: "b", enabled: true, by: "alice", now: t0 + 2)
        }
        // B disables it again (a newer switch) while A cannot write.
        try await b.setSource(market: "M0", source: "b", enabled: true, by: "bob", now: t0 + 2.5)
        try await b.setSource(market: "M0", source: "b", enabled: false, by: "bob", now: t0 + 3)

        reach.set(away: false)
        try await SharedReplica.sync(a, storeA, now: t0 + 4)
        #expect(await enabled(a, "b") == false, "B's newer disable stands on A")
        #expect(try storeB.loadSourceSwitches().map(\.changedBy) == ["bob"], "A did not overwrite B's")
        let line = try #require(
            log.all.first { $0.message.hasPrefix("another replica switched this source") },
            "\(log.all.map(\.message))"
        )
        #expect(line.metadata["source"] == "b" && line.metadata["dropped"] == "enabled=true", "\(line.metadata)")
    }
}
