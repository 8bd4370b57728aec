import BreakwaterEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Engine throughput: one update = ingest + aggregate + volatility + margin + breaker
/// evaluation, for 10, 1,000 and 10,000 markets with 5 sources each, on one core.
/// Run: swift run -c release EngineBenchmark
func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let counts = CommandLine.arguments.dropFirst().compactMap(Int.init)
for marketCount in counts.isEmpty ? [10, 1_000, 10_000] : counts {
    let markets = (0..<marketCount).map { i in
        MarketParameters(id: "M\(i)", sources: (0..<5).map { SourceParameters(id: "s\($0)", kind: "push") },
                         aggregation: .init(minSources: 3, maxAgeSeconds: 30, maxDeviation: 0.02))
    }
    var engine = try! RiskEngine(markets: markets, start: 0)
    let updates = Int(ProcessInfo.processInfo.environment["BENCH_UPDATES"] ?? "") ?? 4_000_000
    var state: UInt64 = 88172645463325252
    var t = 0.0
    // Warm up every market once.
    for m in 0..<marketCount { for s in 0..<5 { engine.ingest(Quote(market: m, source: s, price: 100, time: 0), at: 0) } }
    let start = seconds()
    var rejected = 0
    for i in 0..<updates {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        let m = Int(state % UInt64(marketCount)), s = i % 5
        t += 0.000_01
        let price = 100 * (1 + Double(Int(state >> 40 & 0xFF) - 128) * 0.00001)
        if engine.ingest(Quote(market: m, source: s, price: price, time: t), at: t) != nil { rejected += 1 }
    }
    let elapsed = seconds() - start
    _ = engine.drainEvents()
    let rate = Double(updates) / elapsed
    print("markets \(marketCount) x 5 sources: \(updates) updates in \(String(Int(elapsed * 1000))) ms = \(Int(rate)) updates/s, \(Int(1e9 / rate)) ns/update (rejected \(rejected))")
}
