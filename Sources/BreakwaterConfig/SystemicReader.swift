import BreakwaterSystemic
import BreakwaterWire

/// Reads the `systemic` block (the cross-market view): every key optional, each checked with
/// its JSON path; the windows count samples of the `sampleSeconds` grid.
enum SystemicReader {
    static let keys = [
        "sampleSeconds", "halfLifeSeconds", "minSamples", "shortWindow", "longWindow", "shiftSigma",
        "maxAverageCorrelation",
    ]

    static func read(_ value: JSONValue?, sink: IssueSink) -> SystemicParameters {
        var p = SystemicParameters()
        guard var r = ObjectReader(value, path: "systemic", sink: sink) else { return p }
        if let v = r.number("sampleSeconds", 0...86_400, exclusiveLower: true) { p.sampleSeconds = v }
        if let v = r.number("halfLifeSeconds", 0...(365 * 86_400), exclusiveLower: true) { p.halfLifeSeconds = v }
        if let v = r.integer("minSamples", 2...1_000_000) { p.minSamples = v }
        if let v = r.integer("shortWindow", 2...1_000_000) { p.shortWindow = v }
        if let v = r.integer("longWindow", 2...1_000_000) { p.longWindow = v }
        if let v = r.number("shiftSigma", 0...100, exclusiveLower: true) { p.shiftSigma = v }
        if let v = r.number("maxAverageCorrelation", 0...1, exclusiveLower: true) { p.maxAverageCorrelation = v }
        r.finish(expected: keys)
        if p.shortWindow >= p.longWindow {
            sink.add(
                r.child("shortWindow"),
                "\(p.shortWindow) is not shorter than longWindow \(p.longWindow) (the shift compares a recent window with a longer one)"
            )
        }
        return p
    }
}
