import BreakwaterEngine
import BreakwaterWire

/// `GET /v1/health`: the overall status and one line per market, ages in milliseconds read at
/// `asOf` (epoch seconds).
struct HealthDocument: Encodable {
    let markets: [MarketSnapshot]
    let asOf: EpochSeconds

    /// Overall status: critical when any market is halted or untrusted, degraded when any is
    /// in limit or has sources that are not ok, else ok.
    static func overallStatus(_ markets: [MarketSnapshot]) -> String {
        if markets.contains(where: { $0.state == .halted || $0.health != .ok }) { return "critical" }
        if markets.contains(where: { $0.state != .normal || $0.sources.contains { $0.status != .ok } }) {
            return "degraded"
        }
        return "ok"
    }

    enum Key: String, CodingKey {
        case status, asOf, markets
        case id, state, reasons, priceAgeMs, freshSources, usedSources, quorum, trading, liquidations
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(Self.overallStatus(markets), forKey: .status)
        try c.encodeTime(asOf, forKey: .asOf)
        var lines = c.nestedUnkeyedContainer(forKey: .markets)
        for m in markets {
            var line = lines.nestedContainer(keyedBy: Key.self)
            let age = m.priceTime.map { (asOf - $0) * 1000 } ?? m.lastGoodPriceTime.map { (asOf - $0) * 1000 }
            try line.encode(m.id, forKey: .id)
            try line.encode(m.state.rawValue, forKey: .state)
            try line.encode(m.reasons.map(\.rawValue), forKey: .reasons)
            try line.encodeNumber(age.map { $0.rounded() }, forKey: .priceAgeMs)
            try line.encode(m.freshSources, forKey: .freshSources)
            try line.encode(m.usedSources, forKey: .usedSources)
            try line.encode(m.minSources, forKey: .quorum)
            try line.encode(m.actions.trading.rawValue, forKey: .trading)
            try line.encode(m.actions.liquidations.rawValue, forKey: .liquidations)
        }
    }
}
