import AsyncHTTPClient
import BreakwaterAlerts
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterFeeds
import BreakwaterServer
import BreakwaterStore
import BreakwaterStress
import BreakwaterSystemic
import BreakwaterVenues
import Foundation
import Logging
import Metrics
import Synchronization
import Testing

@testable import BreakwaterServer
@testable import breakwater

/// The demo's scenario, played fast against the real feeds and the Monitor: the venues speak
/// real formats on 127.0.0.1 and the pollers fetch them over HTTP.
struct DemoScenarioTests {
    final class Recorder: Sendable {
        let events = Mutex<[EngineEvent]>([])
        /// BTC-USD's published maintenance margins (fractions), in the order the ticks reported them.
        let margins = Mutex<[Double]>([])
        func add(_ changes: [MarketChange]) {
            events.withLock { $0 += changes.flatMap(\.events) }
            margins.withLock {
                $0 += changes.filter { $0.market == "BTC-USD" }.map(\.snapshot.maintenanceMargin).filter(\.isFinite)
            }
        }
        var all: [EngineEvent] { events.withLock { $0 } }
        var allMargins: [Double] { margins.withLock { $0 } }
    }

    @Test(.timeLimit(.minutes(2)))
    func scenarioTripsEveryRuleInOrder() async throws {
        let speed = 20.0
        let venues = try await SimulatedVenues.start(port: 0)
        let scenario = DemoScenario(speed: speed)
        await scenario.apply(atScenarioSecond: 0, to: venues.state)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = DemoConfig.make(
            venuesBaseURL: venues.baseURL,
            port: 0,
            speed: speed,
            storagePath: dir.appendingPathComponent("demo.sqlite").path
        )
        let alerting = try Alerting.open(
            config: config,
            environment: [:],
            metrics: NOOPMetricsHandler.instance,
            logger: Logger(label: "demo-alerts")
        )
        let started = Date().timeIntervalSince1970
        let board = SnapshotBoard()
        let monitor = try Monitor(
            config: config,
            start: Date().timeIntervalSince1970,
            board: board,
            logger: Logger(label: "demo-test")
        )
        let recorder = Recorder()
        await monitor.setEventHandler { changes, now in
            recorder.add(changes)
            try await alerting.commit(changes, now: now)
        }
        let feeds = FeedSupervisor(
            markets: config.markets,
            sink: monitor,
            httpClient: .shared,
            userAgent: "breakwater-test",
            logger: Logger(label: "feeds")
        )
        // The synthetic position book the demo posts, read as the route reads it, stressed live.
        let positions = PositionBook()
        let posted = DemoPositions.snapshotJSON(asOf: Date().timeIntervalSince1970)
        let reading = try Array(posted.utf8).withUnsafeBufferPointer {
            try PositionSnapshotReader.read($0, knownMarkets: ["BTC-USD"])
        }
        #expect(reading.refusals.isEmpty)
        positions.apply(reading.snapshot)
        let results = StressBoard()
        // The cross-market view on the demo's grid, committing system.correlation_regime.
        let system = SystemBoard(markets: config.markets.map(\.id), parameters: config.systemic)
        let sampler = SystemicSampler(
            board: board,
            system: system,
            metrics: SystemMetrics(factory: NOOPMetricsHandler.instance),
            commit: alerting.commit(conditions:now:),
            logger: Logger(label: "demo-system"),
            clock: { Date().timeIntervalSince1970 }
        )
        let sampling = Task { try await sampler.run() }
        let stress = LiveStress(
            board: board,
            system: system,
            positions: positions,
            results: results,
            config: config,
            alerting: alerting,
            metrics: NOOPMetricsHandler.instance,
            logger: Logger(label: "demo-stress"),
            clock: { Date().timeIntervalSince1970 }
        )
        let stressing = Task { try await stress.run() }
        let slideStarts = Mutex<Double?>(nil)
        let calmReport = Mutex<LiveStressReport?>(nil)
        let polling = Task { try await feeds.run() }
        let ticking = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(config.server.tickMs))
                await monitor.tick(now: Date().timeIntervalSince1970)
            }
        }
        await scenario.play(on: venues.state) { phase in
            if phase == .slide {
                slideStarts.withLock { $0 = Date().timeIntervalSince1970 }
                calmReport.withLock { $0 = results.report }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        polling.cancel()
        ticking.cancel()
        stressing.cancel()
        sampling.cancel()
        await venues.stop()

        let events = recorder.all
        // BTC-USD's rules in order (ETH-USD and SOL-USD trip in the sell-off too).
        let transitions = events.filter { $0.kind == .breakerTransition && $0.market == "BTC-USD" }
        func seen(_ source: String, _ status: String) -> Bool {
            events.contains { $0.kind == .sourceStatus && $0.source == source && $0.to == status }
        }
        #expect(seen("bitstamp", "outlier"), "the manipulated venue is excluded")
        #expect(seen("coinbase-exchange", "stale"), "the frozen venue goes stale")
        let bandLimit = transitions.firstIndex { $0.to == "limit" && $0.reasons.contains(.priceBand) }
        let bandHalt = transitions.firstIndex { $0.to == "halted" && $0.reasons.contains(.priceBand) }
        let velocityHalt = transitions.firstIndex { $0.to == "halted" && $0.reasons.contains(.velocity) }
        #expect(bandLimit != nil, "the slide leaves the band: \(transitions.map { "\($0.to) \($0.reasons)" })")
        // Compared as optionals: a missing step fails the expectation, never crashes the test run.
        #expect(bandHalt.flatMap { h in bandLimit.map { h > $0 } } == true, "limit escalates to a halt")
        #expect(velocityHalt.flatMap { v in bandHalt.map { v > $0 } } == true, "the crash trips the velocity rule")
        #expect(
            !transitions.contains {
                $0.reasons.contains(.velocity) && transitions.firstIndex(of: $0)! < (bandHalt ?? 0)
            },
            "the slide is too slow for the velocity rule"
        )
        let last = await monitor.markets[0].state
        #expect(last == .normal, "the market resumes after the cooldown")

        // The margin path the README tells: from the 1 % floor up by about 14 % over the
        // scenario, never faster than the bound of 300 % per scenario hour (4x an hour).
        let margins = recorder.allMargins
        let first = try #require(margins.first)
        let peak = try #require(margins.max())
        #expect(abs(first - 0.01) < 1e-9, "starts at the floor: \(first)")
        let rise = peak / first - 1
        #expect(rise > 0.10 && rise < 0.18, "rises about 15 % over the scenario: \(rise)")
        let bound = pow(1 + DemoConfig.maxIncreasePerScenarioHour, Self.scenarioSeconds / 3600) - 1
        #expect(rise <= bound, "no faster than the rise bound: \(rise) > \(bound)")

        // The margin.changed notification follows within the scenario, and the recap counts it.
        let stored = try alerting.store.listAlerts(limit: 1000).alerts.map(Alert.init(record:))
        let changed = stored.filter { $0.type == AlertType.marginChanged && $0.market == "BTC-USD" }
        #expect(changed.count == 1, "one margin.changed: \(stored.map(\.summary))")
        if let c = changed.first {
            #expect(abs((c.details.previousMargin ?? 0) - 0.01) < 1e-9)
            #expect((c.details.maintenanceMargin ?? 0) > 0.011, "\(c.summary)")
        }
        let recap = DemoRecap(alerts: stored, margins: margins, now: Date().timeIntervalSince1970, speed: speed)
        #expect((recap.fired[AlertType.marginChanged] ?? 0) >= 1, "\(recap.text)")
        let btcTrips = recap.trips["BTC-USD"]
        #expect(btcTrips?["halted"]?["price_band"] == 1, "\(recap.text)")
        #expect(btcTrips?["halted"]?["velocity"] == 1, "\(recap.text)")
        #expect(btcTrips?["limit"]?["price_band"] == 1, "\(recap.text)")
        // Two halts of 60 and 45 scenario seconds at least (halt, then cooldown before resuming).
        let btcHalted = recap.haltedSeconds["BTC-USD"] ?? 0
        #expect(btcHalted * speed > 100, "\(recap.text)")
        #expect(btcHalted < Date().timeIntervalSince1970 - started)
        // The sell-off halts ETH-USD and SOL-USD as well: they follow BTC-USD down.
        #expect(recap.trips["ETH-USD"]?["halted"] != nil && recap.trips["SOL-USD"]?["halted"] != nil, "\(recap.text)")

        // The crash with the synthetic book: before the slide nothing is liquidatable and the fund
        // covers the standing scenario; after it, the 20x and 10x longs are past liquidation, the
        // bad debt outgrows the $5M fund and system.insurance_shortfall fires (once, after the slide began).
        let calm = try #require(calmReport.withLock { $0 }, "a pass before the slide")
        #expect(calm.report.markets.first?.map.longsAtReference == 0)
        #expect(
            (calm.worstStanding?.badDebt ?? 1) < DemoPositions.insuranceFund,
            "\(calm.worstStanding?.badDebt ?? -1)"
        )
        let end = try #require(results.report)
        let btc = try #require(end.report.markets.first)
        // The 20x and 10x buckets ($60M and $120M at entry), valued at the price after the crash.
        let entry = DemoScenario.fairPrice(atScenarioSecond: 0)
        let pastLiquidation = (60_000_000 + 120_000_000) / entry * btc.referencePrice
        #expect(
            btc.map.longsAtReference >= pastLiquidation * (1 - 1e-9),
            "\(btc.map.longsAtReference) < \(pastLiquidation)"
        )
        #expect((end.worstStanding?.badDebt ?? 0) > DemoPositions.insuranceFund)
        let shortfall = stored.filter { $0.type == "system.insurance_shortfall" }
        #expect(shortfall.count == 1, "\(stored.map(\.type))")
        #expect(shortfall.first?.market == "*" && shortfall.first?.severity == .critical)
        let slide = try #require(slideStarts.withLock { $0 })
        #expect((shortfall.first?.startsAt ?? 0) > slide, "fires after the slide began, not in the calm")
        #expect(recap.fired["system.insurance_shortfall"] == 1, "\(recap.text)")

        // The correlated sell-off: the three markets wander apart while calm and fall together
        // in the slide and the crash; system.correlation_regime fires then, never in the calm.
        let regime = stored.filter { $0.type == AlertType.correlationRegime }
        #expect(!regime.isEmpty, "\(stored.map(\.type))")
        #expect(regime.allSatisfy { $0.startsAt > slide }, "\(regime.map { ($0.startsAt - slide, $0.summary) })")
        #expect(regime.first?.market == AlertType.systemMarket)
        let view = try #require(system.view)
        #expect(view.markets == ["BTC-USD", "ETH-USD", "SOL-USD"], "\(view.excluded)")
    }

    /// One scenario hour lets the margin rise 300 % (x4) and fall 10 % whatever the speed: the
    /// engine compounds its bounds, so the demo's are (1 + r)^speed - 1 per wall hour.
    @Test(arguments: [1.0, 4, 8, 20])
    func theMarginBoundsHoldPerScenarioHourAtEverySpeed(speed: Double) {
        let config = DemoConfig.make(
            venuesBaseURL: "http://127.0.0.1:1",
            port: 0,
            speed: speed,
            storagePath: "/dev/null"
        )
        let parameters = config.markets[0].margin
        let hour = 3600 / speed
        let q = TailQuantiles(parameters: parameters).sides
        var up = DynamicMargin(parameters: parameters, initialVolatilityOverHorizon: 0)
        up.update(at: 0, holdDecrease: false)
        up.retarget(quantiles: q, sigmaOverHorizon: 100)
        up.update(at: hour, holdDecrease: false)
        #expect(
            abs(up.maintenance / parameters.maintenanceFloor - 4) < 1e-9,
            "x4 in a scenario hour: \(up.maintenance)"
        )
        var down = DynamicMargin(parameters: parameters, initialVolatilityOverHorizon: 1)
        let high = down.maintenance
        down.update(at: 0, holdDecrease: false)
        down.retarget(quantiles: q, sigmaOverHorizon: 0)
        down.update(at: hour, holdDecrease: false)
        #expect(abs(down.maintenance / high - 0.9) < 1e-9, "-10 % in a scenario hour: \(down.maintenance / high)")
    }

    /// SOL-USD's fat-tailed stretch, replayed: the normal model goes yellow on both sides (each
    /// step of 0.1 % is past its 99 % quantile), the shipped model (its Student-t(4) stand-in)
    /// stays green (each is inside its quantile). Simulated time: no wall clock involved.
    @Test func theFatTailedStretchTurnsNormalYellowAndLeavesTheShippedModelGreen() throws {
        let check = try DemoModelCheck.run()
        let normal = try #require(check.models.first { $0.distribution == .normal })
        let shipped = try #require(check.models.first { $0.distribution == .filteredHistorical })
        #expect(normal.long.zone == .yellow && normal.short.zone == .yellow, "\(check.lines)")
        #expect(normal.long.exceptions == 2 && normal.short.exceptions == 1, "\(check.lines)")
        #expect(shipped.long.zone == .green && shipped.short.zone == .green, "\(check.lines)")
        #expect(shipped.long.exceptions == 0 && shipped.short.exceptions == 0, "\(check.lines)")
        #expect(normal.long.windows >= 20, "\(check.lines)")
    }

    /// The cross-market view on the scenario's own prices, on the demo's grid at four phases of
    /// it: never fragile in the calm (SOL-USD's steps included), fragile once the sell-off is on.
    /// Scenario time, no wall clock: what the live test sees by chance, this sees at every phase.
    @Test(arguments: [0.0, 1, 2, 3])
    func theCalmIsNeverFragileAndTheSellOffIs(offset: Double) throws {
        let parameters = DemoConfig.systemic(speed: 1)
        var regime = CorrelationRegime(markets: DemoMarket.all.map(\.id), parameters: parameters)
        var calmWorst = (average: -1.0, shift: -Double.infinity)
        var fragileAt: Double?
        var s = offset
        while s < 300 {
            let prices = DemoMarket.all.map { Optional($0.fairPrice(atScenarioSecond: s)) }
            if let view = try regime.update(at: 1_700_000_000 + s, prices: prices) {
                if s < 140 {
                    #expect(
                        view.state != .fragile,
                        "calm, s \(s): \(view.averageCorrelation ?? .nan) \(view.absorptionShift ?? .nan)"
                    )
                    calmWorst.average = max(calmWorst.average, view.averageCorrelation ?? -1)
                    calmWorst.shift = max(calmWorst.shift, view.absorptionShift ?? -.infinity)
                } else if view.state == .fragile, fragileAt == nil {
                    fragileAt = s
                }
            }
            s += parameters.sampleSeconds
        }
        #expect(calmWorst.average < 0.8 && calmWorst.shift < parameters.shiftSigma, "\(calmWorst)")
        #expect(fragileAt.map { $0 < 240 } == true, "fragile in the slide: \(String(describing: fragileAt))")
    }

    /// The scenario's length in scenario seconds.
    static let scenarioSeconds = DemoScenario.schedule.last!.1
}
