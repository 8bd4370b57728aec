import BreakwaterAlerts
import BreakwaterConfig
import BreakwaterStore
import Testing

@testable import breakwater

/// The recap `breakwater demo` prints at the end, from the alerts of the run and its margins.
struct DemoRecapTests {
    func alert(_ type: String, _ reasons: [String], from start: Double, to end: Double?) -> Alert {
        var d = AlertDetails()
        d.reasons = reasons
        return Alert(
            id: "a\(start)",
            fingerprint: "BTC-USD/\(type)",
            type: type,
            market: "BTC-USD",
            source: nil,
            severity: .critical,
            status: end == nil ? .firing : .resolved,
            startsAt: start,
            endsAt: end,
            summary: type,
            details: d,
            updatedAt: end ?? start
        )
    }

    @Test func countsAlertsTripsHaltsAndTheMarginRange() {
        let alerts = [
            alert(AlertType.limit, ["price_band"], from: 100, to: 110),
            alert(AlertType.halted, ["price_band"], from: 110, to: 140),
            alert(AlertType.halted, ["velocity"], from: 200, to: nil),
            alert(AlertType.marginChanged, [], from: 250, to: 250),
        ]
        let recap = DemoRecap(alerts: alerts, margins: [.nan, 0.01, 0.0125, 0.0114], now: 215, speed: 2)
        #expect(recap.fired == [AlertType.limit: 1, AlertType.halted: 2, AlertType.marginChanged: 1])
        #expect(recap.resolved == [AlertType.limit: 1, AlertType.halted: 1], "a notification does not resolve")
        #expect(recap.trips == ["BTC-USD": ["limit": ["price_band": 1], "halted": ["price_band": 1, "velocity": 1]]])
        #expect(recap.haltedSeconds == ["BTC-USD": 45], "30 s, then 15 s of a halt still on")
        let text = recap.text
        #expect(text.contains("alerts fired:    4 (breaker.halted 2, breaker.limit 1, margin.changed 1)"), "\(text)")
        #expect(text.contains("alerts resolved: 2 (breaker.halted 1, breaker.limit 1)"), "\(text)")
        #expect(
            text.contains("trips:           BTC-USD: limit by price_band 1; halted by price_band 1, velocity 1"),
            "\(text)"
        )
        #expect(text.contains("time halted:     BTC-USD 45 s (90 scenario s)"), "\(text)")
        #expect(text.contains("maintenance 1.00 % -> 1.14 % (+14 %), range 1.00 % to 1.25 %"), "\(text)")
    }

    @Test func aQuietRunSaysNone() {
        let text = DemoRecap(alerts: [], margins: [], now: 0, speed: 1).text
        #expect(text.contains("alerts fired:    0 (none)") && text.contains("trips:           none"), "\(text)")
        #expect(
            text.contains("time halted:     0 s\n") && text.contains("margin:          BTC-USD not published"),
            "\(text)"
        )
    }
}
