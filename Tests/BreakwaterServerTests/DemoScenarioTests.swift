import AsyncHTTPClient
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterFeeds
import BreakwaterServer
import BreakwaterVenues
import Foundation
import Logging
import Synchronization
import Testing

@testable import breakwater

/// The demo's scenario, played fast against the real feeds and the Monitor: the venues speak
/// real formats on 127.0.0.1 and the pollers fetch them over HTTP.
struct DemoScenarioTests {
    final class Recorder: Sendable {
        let events = Mutex<[EngineEvent]>([])
        func add(_ e: [EngineEvent]) { events.withLock { $0 += e } }
        var all: [EngineEvent] { events.withLock { $0 } }
    }

    @Test(.timeLimit(.minutes(2)))
    func scenarioTripsEveryRuleInOrder() async throws {
        let speed = 20.0
        let venues = try await SimulatedVenues.start(port: 0)
        let scenario = DemoScenario(speed: speed)
        await scenario.apply(atScenarioSecond: 0, to: venues.state)
        let config = DemoConfig.make(venuesBaseURL: venues.baseURL, port: 0, speed: speed, storagePath: "/dev/null")
        let monitor = try Monitor(
            config: config,
            start: Date().timeIntervalSince1970,
            logger: Logger(label: "demo-test")
        )
        let recorder = Recorder()
        await monitor.setEventHandler { changes, _ in recorder.add(changes.flatMap(\.events)) }
        let feeds = FeedSupervisor(
            markets: config.markets,
            sink: monitor,
            httpClient: .shared,
            userAgent: "breakwater-test",
            logger: Logger(label: "feeds")
        )
        let polling = Task { try await feeds.run() }
        let ticking = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(config.server.tickMs))
                await monitor.tick(now: Date().timeIntervalSince1970)
            }
        }
        await scenario.play(on: venues.state)
        try await Task.sleep(for: .milliseconds(300))
        polling.cancel()
        ticking.cancel()
        await venues.stop()

        let events = recorder.all
        let transitions = events.filter { $0.kind == .breakerTransition }
        func seen(_ source: String, _ status: String) -> Bool {
            events.contains { $0.kind == .sourceStatus && $0.source == source && $0.to == status }
        }
        #expect(seen("bitstamp", "outlier"), "the manipulated venue is excluded")
        #expect(seen("coinbase-exchange", "stale"), "the frozen venue goes stale")
        let bandLimit = transitions.firstIndex { $0.to == "limit" && $0.reasons.contains(.priceBand) }
        let bandHalt = transitions.firstIndex { $0.to == "halted" && $0.reasons.contains(.priceBand) }
        let velocityHalt = transitions.firstIndex { $0.to == "halted" && $0.reasons.contains(.velocity) }
        #expect(bandLimit != nil, "the slide leaves the band: \(transitions.map { "\($0.to) \($0.reasons)" })")
        #expect(bandHalt != nil && bandHalt! > bandLimit!, "limit escalates to a halt")
        #expect(velocityHalt != nil && velocityHalt! > bandHalt!, "the crash trips the velocity rule")
        #expect(
            !transitions.contains {
                $0.reasons.contains(.velocity) && transitions.firstIndex(of: $0)! < (bandHalt ?? 0)
            },
            "the slide is too slow for the velocity rule"
        )
        let last = await monitor.markets[0].state
        #expect(last == .normal, "the market resumes after the cooldown")
    }
}
