import Testing

@testable import BreakwaterVenues

/// The scripted demo on its own: phases at their scenario seconds, fair prices, what each phase
/// does to the venues.
struct DemoScenarioTests {
    @Test func phasesEndAtTheirScheduledSeconds() {
        #expect(DemoScenario.phase(atScenarioSecond: 0) == .calm)
        #expect(DemoScenario.phase(atScenarioSecond: 59.9) == .calm)
        #expect(DemoScenario.phase(atScenarioSecond: 60) == .manipulated)
        #expect(DemoScenario.phase(atScenarioSecond: 100) == .frozen)
        #expect(DemoScenario.phase(atScenarioSecond: 140) == .slide)
        #expect(DemoScenario.phase(atScenarioSecond: 305) == .crash)
        #expect(DemoScenario.phase(atScenarioSecond: 499.9) == .volatile)
        #expect(DemoScenario.phase(atScenarioSecond: 500) == .done)
        #expect(DemoScenario(speed: 10).duration == 50)
        #expect(DemoScenario(speed: 0).speed == 0.1, "a speed of 0 would never end")
    }

    @Test func theSlideLosesSixteenPercentAndTheCrashFifteenMore() {
        let beforeSlide = DemoScenario.fairPrice(atScenarioSecond: 139.999)
        let slid = DemoScenario.fairPrice(atScenarioSecond: 250)
        let crashed = DemoScenario.fairPrice(atScenarioSecond: 305)
        #expect(abs(beforeSlide - 64_000) < 64_000 * 0.0011, "calm prices wave by 0.1 %: \(beforeSlide)")
        #expect(abs(slid / DemoScenario.fairPrice(atScenarioSecond: 0) - 0.84) < 0.003, "\(slid)")
        // Every level rides a 0.1 % wave, so two levels compare within 0.2 %.
        let wave = 0.0021
        #expect(abs(crashed / slid - 0.85) < wave, "\(crashed / slid)")
        // Volatile: swings around 0.97 x the slid level, never more than 0.8 % (plus the wave).
        var widest = 0.0
        for s in stride(from: 380.0, to: 500, by: 0.5) {
            widest = max(widest, abs(DemoScenario.fairPrice(atScenarioSecond: s) / (slid * 0.97) - 1))
        }
        #expect(widest <= 0.008 + wave && widest > 0.006, "\(widest)")
    }

    @Test func theManipulatedVenueIsTwelvePercentAboveAndTheFrozenOneThawsAfterItsPhase() async throws {
        let scenario = DemoScenario(speed: 1)
        let state = VenueState(clock: { 1_750_000_000 })
        await scenario.apply(atScenarioSecond: 80, to: state)
        let fair = DemoScenario.fairPrice(atScenarioSecond: 80)
        let bitstamp = try #require(await state.tick(.bitstamp, "btcusd"))
        #expect(abs(bitstamp.price / fair - 1.12) < 1e-9, "\(bitstamp.price) vs fair \(fair)")
        let kraken = try #require(await state.tick(.kraken, "XBTUSD"))
        #expect(abs(kraken.price / fair - 1) < 0.001)
        #expect(await state.mode(.coinbaseExchange) == .normal)
        await scenario.apply(atScenarioSecond: 120, to: state)
        #expect(await state.mode(.coinbaseExchange) == .frozen)
        #expect(await state.mode(.coinbase) == .normal)
        await scenario.apply(atScenarioSecond: 150, to: state)
        #expect(await state.mode(.coinbaseExchange) == .normal)
    }
}
