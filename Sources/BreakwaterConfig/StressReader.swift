import BreakwaterStress
import BreakwaterWire

/// The `stress` block: how often the live stress pass runs and what it tries.
public struct StressConfig: Sendable, Equatable {
    /// Seconds between live stress passes, (0, 3600].
    public var intervalSeconds: Double = 10
    /// Shocks tried each way in every market, fractions in (0, 1), 1 to 20 of them.
    public var shocks: [Double] = StressSettings.defaultShocks
    /// A positions snapshot older than this, seconds, makes the results `stale`.
    public var maxSnapshotAgeSeconds: Double = 300
    /// `market.cascade_risk` fires when the notional liquidatable within one sigma_h move
    /// exceeds this many times the market's depth within 1 % (> 0).
    public var maxLiquidatableDepthRatio: Double = 1

    public init() {}
}

/// Reads the `stress` block and a market's `liquidity`, each problem with its JSON path.
enum StressReader {
    static let keys = ["intervalSeconds", "shocks", "maxSnapshotAgeSeconds", "maxLiquidatableDepthRatio"]
    static let liquidityKeys = ["dailyVolume", "depth1Pct", "impactY"]
    static let maxShocks = 20

    static func read(_ value: JSONValue?, sink: IssueSink) -> StressConfig {
        var c = StressConfig()
        guard var r = ObjectReader(value, path: "stress", sink: sink) else { return c }
        if let v = r.number("intervalSeconds", 0...3600, exclusiveLower: true) { c.intervalSeconds = v }
        if let values = r.array("shocks") {
            var shocks: [Double] = []
            for (i, v) in values.enumerated() {
                let path = "\(r.child("shocks"))[\(i)]"
                guard case let .number(s) = v else {
                    sink.add(path, "expected a number, found \(v.typeName)")
                    continue
                }
                if s > 0 && s < 1 {
                    shocks.append(s)
                } else {
                    sink.add(path, "\(format(s)) is out of range (expected a fraction in (0, 1), 0.1 = 10 %)")
                }
            }
            if values.isEmpty {
                sink.add(r.child("shocks"), "must list at least one shock (leave the key out for 0.05, 0.1, 0.2)")
            } else if values.count > maxShocks {
                sink.add(r.child("shocks"), "\(values.count) shocks is more than the \(maxShocks) allowed")
            } else if shocks.count == values.count {
                c.shocks = shocks
            }
        }
        if let v = r.number("maxSnapshotAgeSeconds", 0...(30 * 86_400), exclusiveLower: true) {
            c.maxSnapshotAgeSeconds = v
        }
        if let v = r.number("maxLiquidatableDepthRatio", 0...1_000_000, exclusiveLower: true) {
            c.maxLiquidatableDepthRatio = v
        }
        r.finish(expected: keys)
        return c
    }

    /// A market's `liquidity` {dailyVolume, depth1Pct, impactY}: nil when absent or wrong.
    static func liquidity(_ value: JSONValue?, path: String, sink: IssueSink) -> MarketLiquidity? {
        guard var r = ObjectReader(value, path: path, sink: sink) else { return nil }
        let volume = r.number("dailyVolume", 0...1e18, exclusiveLower: true, required: true)
        let depth = r.number("depth1Pct", 0...1e18, exclusiveLower: true, required: true)
        let y = r.number("impactY", 0...100, exclusiveLower: true, required: true)
        r.finish(expected: liquidityKeys)
        guard let volume, let depth, let y else { return nil }
        return MarketLiquidity(dailyVolume: volume, depth1Pct: depth, impactY: y)
    }
}
