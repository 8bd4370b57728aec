import BreakwaterEngine
import BreakwaterWire

/// Reads the `aggregation`, `margin` and `breaker` blocks, each over a base (built-in
/// defaults, then the `defaults` block), so a market block overrides key by key.
enum ParameterReaders {
    static let aggregationKeys = ["method", "minSources", "maxAgeMs", "maxDeviation", "defaultConfidence"]
    static let marginKeys = [
        "halfLifeSeconds", "sampleSeconds", "horizonSeconds", "coverage", "distribution",
        "tailDegreesOfFreedom", "historySamples", "minHistorySamples", "initialVolatility", "maintenanceFloor",
        "maintenanceRatio",
        "maxIncreasePerHour", "maxDecreasePerHour",
    ]
    static let breakerKeys = [
        "band", "referenceWindowSeconds", "limitSeconds", "haltSeconds", "velocity",
        "maxDivergence", "recoverySeconds", "maxSpread",
    ]
    static let velocityKeys = ["move", "windowSeconds", "haltSeconds"]
    static let day = 86_400.0

    static func aggregation(
        _ value: JSONValue?,
        path: String,
        base: AggregationParameters,
        sink: IssueSink
    ) -> AggregationParameters {
        guard var r = ObjectReader(value, path: path, sink: sink) else { return base }
        var p = base
        if let v = r.choice("method", as: AggregationMethod.self) { p.method = v }
        if let v = r.integer("minSources", 1...1000) { p.minSources = v }
        if let v = r.integer("maxAgeMs", 1...Int(7 * day * 1000)) { p.maxAgeSeconds = Double(v) / 1000 }
        if let v = r.nullableNumber("maxDeviation", 0...1, exclusiveLower: true, exclusiveUpper: true) {
            p.maxDeviation = v
        }
        if let v = r.number("defaultConfidence", 0...0.5, exclusiveLower: true) { p.defaultConfidence = v }
        r.finish(expected: aggregationKeys)
        return p
    }

    static func margin(_ value: JSONValue?, path: String, base: MarginParameters, sink: IssueSink) -> MarginParameters {
        guard var r = ObjectReader(value, path: path, sink: sink) else { return base }
        var p = base
        if let v = r.number("halfLifeSeconds", 0.001...(3650 * day)) { p.halfLifeSeconds = v }
        if let v = r.number("sampleSeconds", 0.001...day) { p.sampleSeconds = v }
        if let v = r.number("horizonSeconds", 0...(365 * day), exclusiveLower: true) { p.horizonSeconds = v }
        if let v = r.number("coverage", 0.5...1, exclusiveLower: true, exclusiveUpper: true) { p.coverage = v }
        if let v = r.choice("distribution", as: TailDistribution.self) { p.distribution = v }
        if let v = r.number("tailDegreesOfFreedom", 2...1000, exclusiveLower: true) { p.tailDegreesOfFreedom = v }
        if let v = r.integer("historySamples", 2...100_000) { p.historySamples = v }
        if let v = r.integer("minHistorySamples", 2...100_000) { p.minHistorySamples = v }
        if let v = r.number("initialVolatility", 0...20, exclusiveLower: true) { p.initialVolatility = v }
        if let v = r.number("maintenanceFloor", 0...1, exclusiveUpper: true) { p.maintenanceFloor = v }
        if let v = r.number("maintenanceRatio", 0...1, exclusiveLower: true) { p.maintenanceRatio = v }
        if let v = r.number("maxIncreasePerHour", 0...1000, exclusiveLower: true) { p.maxIncreasePerHour = v }
        if let v = r.number("maxDecreasePerHour", 0...1, exclusiveUpper: true) { p.maxDecreasePerHour = v }
        r.finish(expected: marginKeys)
        return p
    }

    static func breaker(
        _ value: JSONValue?,
        path: String,
        base: BreakerParameters,
        sink: IssueSink
    ) -> BreakerParameters {
        guard var r = ObjectReader(value, path: path, sink: sink) else { return base }
        var p = base
        if let v = r.number("band", 0...1, exclusiveLower: true, exclusiveUpper: true) { p.band = v }
        if let v = r.number("referenceWindowSeconds", 1...day) { p.referenceWindowSeconds = v }
        if let v = r.number("limitSeconds", 0...day) { p.limitSeconds = v }
        if let v = r.number("haltSeconds", 0...(7 * day), exclusiveLower: true) { p.haltSeconds = v }
        if var vr = ObjectReader(r.raw("velocity"), path: r.child("velocity"), sink: sink) {
            if let v = vr.number("move", 0...10, exclusiveLower: true) { p.velocity.move = v }
            if let v = vr.number("windowSeconds", 0.001...day) { p.velocity.windowSeconds = v }
            if let v = vr.number("haltSeconds", 0...(7 * day), exclusiveLower: true) { p.velocity.haltSeconds = v }
            vr.finish(expected: velocityKeys)
        }
        if let v = r.nullableNumber("maxDivergence", 0...1, exclusiveLower: true, exclusiveUpper: true) {
            p.maxDivergence = v
        }
        if let v = r.number("recoverySeconds", 0...day) { p.recoverySeconds = v }
        if let v = r.nullableNumber("maxSpread", 0...1, exclusiveLower: true, exclusiveUpper: true) { p.maxSpread = v }
        r.finish(expected: breakerKeys)
        return p
    }
}
