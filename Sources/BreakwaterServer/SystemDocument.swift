import BreakwaterEngine
import BreakwaterSystemic
import BreakwaterWire

/// The cross-market view as `GET /v1/system` serves it (docs/openapi.json, `System`). Every key
/// is written, null when it has no value; correlations and the absorption ratio are fractions,
/// the shift is in standard deviations; `volatility` follows `markets`, per sample (standard
/// deviation of the log return over `sampleSeconds`).
struct SystemDocument: Encodable {
    /// The last update; nil before the first sample.
    let view: SystemView?
    /// Every configured market, in configuration order (all out before the first sample).
    let allMarkets: [String]
    let parameters: SystemicParameters

    enum Key: String, CodingKey {
        case asOf, updates, state, markets, excluded, correlation, averageCorrelation, absorptionRatio
        case eigenvalueCount, absorptionShift, turbulence, turbulenceNote, volatility, settings
        case ids, values, market, reason, message
        case sampleSeconds, halfLifeSeconds, minSamples, shortWindow, longWindow, shiftSigma, maxAverageCorrelation
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let v = view
        let ids = v?.markets ?? []
        let n = ids.count
        try c.encodeTime(v?.time, forKey: .asOf)
        try c.encode(v?.updates ?? 0, forKey: .updates)
        try c.encode((v?.state ?? .insufficient).rawValue, forKey: .state)
        try c.encode(ids, forKey: .markets)
        var out = c.nestedUnkeyedContainer(forKey: .excluded)
        if let v {
            for (market, reason) in v.excluded {
                var e = out.nestedContainer(keyedBy: Key.self)
                try e.encode(market, forKey: .market)
                try e.encode(reason.code, forKey: .reason)
                try e.encode(reason.description, forKey: .message)
            }
        } else {
            for market in allMarkets {
                var e = out.nestedContainer(keyedBy: Key.self)
                try e.encode(market, forKey: .market)
                try e.encode("not_sampled", forKey: .reason)
                try e.encode("no sample taken yet (one every \(parameters.sampleSeconds) s)", forKey: .message)
            }
        }
        var matrix = c.nestedContainer(keyedBy: Key.self, forKey: .correlation)
        try matrix.encode(ids, forKey: .ids)
        var rows = matrix.nestedUnkeyedContainer(forKey: .values)
        for i in 0..<n { try rows.encode(Array(v!.correlation[(i * n)..<((i + 1) * n)])) }
        try c.encodeNumber(v?.averageCorrelation, forKey: .averageCorrelation)
        try c.encodeNumber(v?.absorptionRatio, forKey: .absorptionRatio)
        try c.encode(v.map { $0.markets.isEmpty ? 0 : $0.eigenvalueCount } ?? 0, forKey: .eigenvalueCount)
        try c.encodeNumber(v?.absorptionShift, forKey: .absorptionShift)
        try c.encodeNumber(v?.turbulence, forKey: .turbulence)
        try c.encodeNullable(v?.turbulenceNote, forKey: .turbulenceNote)
        try c.encode((0..<n).map { v!.volatility($0) }, forKey: .volatility)
        var s = c.nestedContainer(keyedBy: Key.self, forKey: .settings)
        try s.encode(parameters.sampleSeconds, forKey: .sampleSeconds)
        try s.encode(parameters.halfLifeSeconds, forKey: .halfLifeSeconds)
        try s.encode(parameters.minSamples, forKey: .minSamples)
        try s.encode(parameters.shortWindow, forKey: .shortWindow)
        try s.encode(parameters.longWindow, forKey: .longWindow)
        try s.encode(parameters.shiftSigma, forKey: .shiftSigma)
        try s.encode(parameters.maxAverageCorrelation, forKey: .maxAverageCorrelation)
    }
}
