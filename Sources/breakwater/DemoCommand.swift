import ArgumentParser
import AsyncHTTPClient
import BreakwaterAlerts
import BreakwaterServer
import BreakwaterStore
import BreakwaterStress
import BreakwaterVenues
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `breakwater demo`: local simulated venues (synthetic prices, real formats) and the service
/// configured against them, in one process, offline. A scripted scenario plays out.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Offline demo: simulated venues on 127.0.0.1 and a scripted crash (synthetic prices)."
    )

    @Option(help: "Port of the Breakwater API and status page.") var port: Int = 8080
    @Option(help: "Play the scenario this many times faster (timers scale with it).") var speed: Double = 1
    @Flag(help: "Stop when the scenario ends (default: keep serving until Ctrl-C).") var exitWhenDone = false
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard speed > 0, speed <= 100 else { throw ValidationError("--speed must be in (0, 100]") }
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be 0...65535 (0 picks a free port)")
        }
        let logger = try logging.bootstrap()
        let venues = try await SimulatedVenues.start(port: 0, logger: logger)
        let scenario = DemoScenario(speed: speed)
        await scenario.apply(atScenarioSecond: 0, to: venues.state)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("breakwater-demo-\(getpid())")
        let config = DemoConfig.make(
            venuesBaseURL: venues.baseURL,
            port: port,
            speed: speed,
            storagePath: dir.appendingPathComponent("demo.sqlite").path
        )
        let exitWhenDone = self.exitWhenDone
        let speed = self.speed
        let venuesURL = venues.baseURL
        var environment = ProcessInfo.processInfo.environment
        let positionsToken = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        environment[DemoConfig.positionsTokenVariable] = positionsToken
        do {
            try await ServeCommand.serve(
                config,
                logger: logger,
                pollFeeds: true,
                environment: environment,
                statusNotice:
                    "DEMO: synthetic prices from simulated venues and a synthetic position book, not market data"
            ) { port, server in
                // Once the API is listening: the URLs with the port really bound (--port 0 picks one).
                print(
                    """
                    Breakwater demo (SYNTHETIC PRICES from simulated venues, not market data)
                      simulated venues: \(venuesURL)  (coinbase, coinbase-exchange, kraken, bitstamp, pyth formats)
                      markets:          \(DemoMarket.all.map { "\($0.id) (\($0.feeds.count) venues)" }.joined(separator: ", "))
                      status page:      http://127.0.0.1:\(port)/
                      market JSON:      http://127.0.0.1:\(port)/v1/markets/BTC-USD
                      across markets:   http://127.0.0.1:\(port)/v1/system
                      metrics:          http://127.0.0.1:\(port)/metrics
                      stress:           http://127.0.0.1:\(port)/v1/stress  (SYNTHETIC positions: $\(Int(DemoPositions.insuranceFund / 1e6))M fund, leveraged longs)
                      scenario:         \(Int(scenario.duration)) s at speed \(speed): calm, bitstamp manipulated (+12 %), coinbase-exchange frozen, a slide (band: limit, halt),
                                        flash crash (-15 %), cooldown, volatile swings; the longs' liquidations drain the insurance fund;
                                        ETH-USD and SOL-USD wander apart while calm and follow BTC-USD down (a correlated sell-off)
                    """
                )
                fflush(nil)
                Task {
                    // From a task of its own: the server accepts connections once this callback returns.
                    await Self.postPositions(port: port, token: positionsToken, logger: logger)
                    let started = Date().timeIntervalSince1970
                    await scenario.play(on: venues.state) { phase in
                        print("demo: phase \(phase.rawValue)" + Self.stressLine(server.stressResults.report))
                        fflush(nil)  // seen at once through a pipe too
                    }
                    print(await Self.recap(of: server, since: started, speed: speed).text)
                    Self.printModelCheck(logger: logger)
                    print("demo: scenario finished" + (exitWhenDone ? "; stopping" : "; still serving, Ctrl-C to stop"))
                    fflush(nil)
                    if exitWhenDone { kill(getpid(), SIGTERM) }
                }
            }
        } catch {
            // A port in use, storage that cannot be opened: nothing of this run is kept.
            await venues.stop()
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        await venues.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    /// The recap's model comparison (``DemoModelCheck``), or why there is none.
    static func printModelCheck(logger: Logger) {
        do {
            print(try DemoModelCheck.run().lines.joined(separator: "\n"))
        } catch {
            logger.error("demo: the model check could not replay", metadata: ["error": "\(error)"])
        }
    }

    /// What the latest stress pass says of the synthetic book, for the phase lines.
    static func stressLine(_ report: LiveStressReport?) -> String {
        guard let report, let m = report.report.markets.first else { return "" }
        let worst = report.worstStanding?.badDebt ?? 0
        let liquidatable = (m.map.longsAtReference + m.map.shortsAtReference) / 1e6
        return String(
            format:
                "  (stress: $%.0fM liquidatable at the current price, standing bad debt $%.1fM against the $%.0fM fund%@)",
            liquidatable,
            worst / 1e6,
            report.insuranceFund / 1e6,
            worst > report.insuranceFund ? ": SHORT" : ""
        )
    }

    /// Posts the synthetic position book to this demo's own `POST /v1/positions`, as a protocol would.
    static func postPositions(port: Int, token: String, logger: Logger) async {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/positions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(Array(DemoPositions.snapshotJSON(asOf: Date().timeIntervalSince1970).utf8))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            print("demo: synthetic position book posted (HTTP \(response.status.code))")
        } catch {
            logger.error("demo: the synthetic position book could not be posted", metadata: ["error": "\(error)"])
        }
    }

    /// The recap of the run from `since` (epoch seconds): the alerts it stored and the margins
    /// the status page's history kept (that history spans the whole scenario at any speed).
    static func recap(of server: BreakwaterServer, since: Double, speed: Double) async -> DemoRecap {
        let now = Date().timeIntervalSince1970
        let records = (try? await server.alerting?.store.reading { try $0.listAlerts(limit: 1000).alerts }) ?? []
        let alerts = records.map(Alert.init(record:)).filter { $0.startsAt >= since - 1 }.reversed()
        let margins = (server.board.current.history[DemoRecap.marginMarket]?.samples ?? []).map(\.maintenance)
        return DemoRecap(alerts: Array(alerts), margins: margins, now: now, speed: speed)
    }
}
