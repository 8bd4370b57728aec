/// The scripted scenario `breakwater demo` plays on the simulated venues (synthetic prices):
/// calm, one venue manipulated (an outlier), one venue frozen (stale), a flash crash (velocity
/// halt, cooldown, resume), then rising volatility (margin follows under its rate bound). The
/// slide and the crash are a correlated sell-off: ETH-USD and SOL-USD follow BTC-USD down
/// (``DemoMarket``).
///
/// Times are scenario seconds; `speed` divides them (speed 10 plays 10x faster).
public struct DemoScenario: Sendable {
    /// One venue of the demo market and the symbol it is asked for.
    public struct Feed: Sendable {
        public var venue: Venue
        public var symbol: String
        public init(venue: Venue, symbol: String) {
            self.venue = venue
            self.symbol = symbol
        }
    }

    public enum Phase: String, Sendable, CaseIterable {
        case calm, manipulated, frozen, slide, hold, crash, cooldown, volatile, done
    }

    /// BTC-USD's venues: five USD venues in four real formats and more.
    public static let feeds = [
        Feed(venue: .coinbase, symbol: "BTC-USD"),
        Feed(venue: .coinbaseExchange, symbol: "BTC-USD"),
        Feed(venue: .kraken, symbol: "XBTUSD"),
        Feed(venue: .bitstamp, symbol: "btcusd"),
        Feed(venue: .pyth, symbol: "0xe62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43"),
    ]

    /// Phase boundaries in scenario seconds (each phase ends at its number): a slide of 16 % over
    /// 100 s is too slow for the velocity rule but leaves the price band (limit, then halt); the
    /// crash of 15 % at once trips the velocity rule.
    public static let schedule: [(Phase, Double)] = [
        (.calm, 60), (.manipulated, 100), (.frozen, 140), (.slide, 240),
        (.hold, 300), (.crash, 310), (.cooldown, 380), (.volatile, 500),
    ]

    public let speed: Double
    public init(speed: Double) { self.speed = max(0.1, speed) }

    /// Total length in wall seconds.
    public var duration: Double { Self.schedule.last!.1 / speed }

    public static func phase(atScenarioSecond s: Double) -> Phase {
        for (phase, end) in schedule where s < end { return phase }
        return .done
    }

    /// The fair price at scenario second `s`: a gentle wave, -15 % during the crash, then a
    /// new level with growing swings.
    public static func fairPrice(atScenarioSecond s: Double) -> Double {
        let base = 64_000.0 * (1 + 0.001 * sin(s / 7))
        let slid = base * 0.84
        switch phase(atScenarioSecond: s) {
        case .slide: return base * (1 - 0.16 * (s - 140) / 100)
        case .hold: return slid
        case .crash: return slid * 0.85
        case .cooldown: return slid * 0.97
        case .volatile, .done:
            // Swings that grow to +/-0.8 %, on a period that does not divide the 2 s volatility
            // sampling (a swing flipping every second looked flat to it: volatility fell).
            let swing = 0.008 * min(1, (s - 380) / 60)
            return slid * 0.97 * (1 + swing * sin(s * 1.3))
        default: return base
        }
    }

    /// Applies the scenario at scenario second `s` to the venues of every demo market (only
    /// BTC-USD's bitstamp is manipulated; coinbase-exchange, frozen, quotes BTC-USD alone).
    public func apply(atScenarioSecond s: Double, to state: VenueState) async {
        let phase = Self.phase(atScenarioSecond: s)
        for market in DemoMarket.all {
            let fair = market.fairPrice(atScenarioSecond: s)
            let lead = market.id == "BTC-USD"
            for (i, feed) in market.feeds.enumerated() {
                var price = fair * (1 + 0.0002 * Double(i - 2))
                if lead && phase == .manipulated && feed.venue == .bitstamp { price = fair * 1.12 }
                await state.setPrice(price, venue: feed.venue, symbol: feed.symbol)
            }
        }
        let frozen = phase == .frozen
        let mode = await state.mode(.coinbaseExchange)
        if frozen && mode != .frozen { await state.setMode(.frozen, venue: .coinbaseExchange) }
        if !frozen && mode == .frozen { await state.setMode(.normal, venue: .coinbaseExchange) }
    }

    /// Plays the scenario in wall time until it ends or the task is cancelled, calling
    /// `onPhase` when a phase starts.
    public func play(on state: VenueState, onPhase: @Sendable (Phase) async -> Void = { _ in }) async {
        let start = ContinuousClock.now
        var current: Phase?
        while !Task.isCancelled {
            let elapsed = ContinuousClock.now - start
            let s = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * speed
            let phase = Self.phase(atScenarioSecond: s)
            if phase != current {
                current = phase
                await onPhase(phase)
            }
            if phase == .done { return }
            await apply(atScenarioSecond: s, to: state)
            try? await Task.sleep(for: .milliseconds(max(20, Int(250 / speed))))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
