import BreakwaterConfig
import BreakwaterEngine
import BreakwaterReplay
import BreakwaterVenues
import Foundation

/// The demo's model comparison: SOL-USD's scenario prices up to the sell-off (its fat-tailed
/// stretch, ``DemoMarket/fatTail``), as its venues quote them, replayed through the engine in
/// simulated time (the replay code) once with `distribution: normal` and once with the shipped
/// model (filtered historical), both on the demo's margin settings. The live `model` block
/// judges the configured model only; this shows what the normal model would have said.
///
/// Zones are each side's Basel zone at maintenance margin over the windows of the stretch
/// (nil: too few windows to rate).
struct DemoModelCheck: Equatable {
    struct Side: Equatable {
        var windows: Int
        var exceptions: Int
        var zone: BaselZone?
    }
    struct Model: Equatable {
        var distribution: TailDistribution
        var long: Side
        var short: Side
    }
    var market: String
    /// Scenario seconds replayed, from 0.
    var seconds: Double
    var models: [Model]

    static let market = "SOL-USD"
    /// The stretch ends when the slide (the sell-off) begins.
    static let stretchEnd = DemoScenario.schedule.first { $0.0 == .frozen }?.1 ?? 140
    /// Spacing of the replayed quotes, scenario seconds (the demo's venues are polled every
    /// second at speed 1).
    static let quoteSeconds = 0.25

    /// Replays the stretch under both models (at speed 1: scenario seconds are seconds).
    static func run() throws -> DemoModelCheck {
        let config = DemoConfig.make(venuesBaseURL: "http://127.0.0.1:1", port: 0, speed: 1, storagePath: "/dev/null")
        guard let sol = config.engineMarkets().first(where: { $0.id == market }),
            let demo = DemoMarket.all.first(where: { $0.id == market })
        else { return DemoModelCheck(market: market, seconds: 0, models: []) }
        let start = 1_700_000_000.0
        var models: [Model] = []
        for distribution in [TailDistribution.normal, .filteredHistorical] {
            var parameters = sol
            parameters.margin.distribution = distribution
            var runner = try ReplayRunner(
                markets: [parameters],
                tickSeconds: Double(config.server.tickMs) / 1000,
                clockSkewSeconds: Double(config.server.clockSkewMs) / 1000,
                onEvent: { _ in }
            )
            var line = 0
            var s = 0.0
            while s < stretchEnd {
                let fair = demo.fairPrice(atScenarioSecond: s)
                for (i, feed) in demo.feeds.enumerated() {
                    line += 1
                    let price = fair * (1 + 0.0002 * Double(i - 2))
                    runner.feed(line: "\(start + s),\(market),\(feed.venue.rawValue),\(price)", lineNumber: line)
                }
                s += quoteSeconds
            }
            runner.finish()
            let report = runner.summary.markets[0].backtest.report
            func side(_ side: MarginSide) -> Side {
                let f = report[side, .maintenance].wholeHistory
                return Side(windows: f.windows, exceptions: f.exceptions, zone: f.zone)
            }
            models.append(Model(distribution: distribution, long: side(.long), short: side(.short)))
        }
        return DemoModelCheck(market: market, seconds: stretchEnd, models: models)
    }

    /// Lines for the recap: per model, each side's zone with its exceptions and windows.
    var lines: [String] {
        var out = [
            "  model check:     \(market)'s fat-tailed stretch (scenario s 0-\(Int(seconds))) replayed under each model:"
        ]
        for m in models {
            let name = m.distribution == .normal ? "normal" : "shipped (\(m.distribution.rawValue))"
            func cell(_ s: Side) -> String {
                "\(s.zone?.rawValue ?? "unrated") (\(s.exceptions) of \(s.windows) windows)"
            }
            out.append("                   \(name): long \(cell(m.long)), short \(cell(m.short))")
        }
        return out
    }
}
