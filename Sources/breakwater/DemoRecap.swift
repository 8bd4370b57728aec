import BreakwaterAlerts
import Foundation

/// What `breakwater demo` prints when its scenario ends: the alerts fired and resolved, the
/// breakers' trips per market by reason, the time spent halted and the range of the published margin.
///
/// Built from the alerts the run stored (`breaker.limit` and `breaker.halted` are the trips,
/// each counted under the reasons it fired with) and the published maintenance margins sampled
/// during the run (fractions of notional). Times are epoch seconds; `speed` turns wall seconds
/// into scenario seconds.
struct DemoRecap {
    /// Alerts of each type that fired during the run (notifications included).
    var fired: [String: Int] = [:]
    /// Alerts of each type that resolved during the run.
    var resolved: [String: Int] = [:]
    /// Trips by market, then by breaker state entered ("limit", "halted"), then by reason.
    var trips: [String: [String: [String: Int]]] = [:]
    /// Wall seconds each market spent halted (a halt still on counts up to `now`).
    var haltedSeconds: [String: Double] = [:]
    /// The market whose margin path the recap tells (the one the README describes).
    static let marginMarket = "BTC-USD"
    /// Published maintenance margin of ``marginMarket``: first, lowest, highest and last sample (fractions).
    var margin: (first: Double, min: Double, max: Double, last: Double)?
    let speed: Double

    init(alerts: [Alert], margins: [Double], now: Double, speed: Double) {
        self.speed = speed
        for a in alerts {
            fired[a.type, default: 0] += 1
            if a.endsAt != nil, !a.isNotification { resolved[a.type, default: 0] += 1 }
            let state: String? =
                switch a.type {
                case AlertType.limit: "limit"
                case AlertType.halted: "halted"
                default: nil
                }
            if let state {
                for reason in a.details.reasons.isEmpty ? ["unknown"] : a.details.reasons {
                    trips[a.market, default: [:]][state, default: [:]][reason, default: 0] += 1
                }
            }
            if a.type == AlertType.halted {
                haltedSeconds[a.market, default: 0] += max(0, (a.endsAt ?? now) - a.startsAt)
            }
        }
        let finite = margins.filter { $0.isFinite && $0 > 0 }
        if let first = finite.first, let last = finite.last, let lo = finite.min(), let hi = finite.max() {
            margin = (first, lo, hi, last)
        }
    }

    /// The recap as printed, one fact a line.
    var text: String {
        func counts(_ d: [String: Int]) -> String {
            d.isEmpty ? "none" : d.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        func pct(_ v: Double) -> String { String(format: "%.2f %%", v * 100) }
        let firedTotal = fired.values.reduce(0, +)
        let resolvedTotal = resolved.values.reduce(0, +)
        var lines = ["demo recap:"]
        lines.append("  alerts fired:    \(firedTotal) (\(counts(fired)))")
        lines.append("  alerts resolved: \(resolvedTotal) (\(counts(resolved)))")
        let tripLines = trips.keys.sorted().map { market in
            let states = ["limit", "halted"].compactMap { s in trips[market]?[s].map { "\(s) by \(counts($0))" } }
            return "\(market): \(states.joined(separator: "; "))"
        }
        lines.append("  trips:           \(tripLines.first ?? "none")")
        lines += tripLines.dropFirst().map { "                   \($0)" }
        let halted = haltedSeconds.sorted { $0.key < $1.key }.map { market, seconds in
            "\(market) \(String(format: "%.0f", seconds)) s"
                + (speed == 1 ? "" : " (\(String(format: "%.0f", seconds * speed)) scenario s)")
        }
        lines.append("  time halted:     \(halted.isEmpty ? "0 s" : halted.joined(separator: ", "))")
        if let m = margin {
            let rise = (m.last / m.first - 1) * 100
            lines.append(
                "  margin:          \(Self.marginMarket) maintenance \(pct(m.first)) -> \(pct(m.last)) (\(String(format: "%+.0f", rise)) %), "
                    + "range \(pct(m.min)) to \(pct(m.max))"
            )
        } else {
            lines.append("  margin:          \(Self.marginMarket) not published")
        }
        return lines.joined(separator: "\n")
    }
}
