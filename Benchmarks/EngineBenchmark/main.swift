import BreakwaterEngine
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Engine throughput on one core: one update = ingest + aggregate + volatility + margin +
/// breaker evaluation of the quote's market, for 10, 1,000 and 10,000 markets with 5
/// sources each. Every update goes to a market drawn at random (the worst case for caches).
///
/// Two ways in, both through the public API: quotes one `ingest(_:at:)` call each (how
/// pollers feed the engine), and `ingest(_:at:)` with batches of 1,000 quotes (how
/// POST /v1/prices feeds it; the batch prefetches the next quotes' markets).
/// Each figure is the median of 5 rounds of 1,000,000 updates.
///
/// Run: swift run -c release EngineBenchmark [market counts...]
func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

struct QuoteStream {
    var state: UInt64 = 88_172_645_463_325_252
    var t = 0.0
    var i = 0
    let markets: Int

    /// The next quote: a random market, sources in turn, prices within +/-0.13 % of 100.
    mutating func next() -> Quote {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        i += 1
        t += 0.000_01
        let price = 100 * (1 + Double(Int(state >> 40 & 0xFF) - 128) * 0.00001)
        return Quote(market: Int(state % UInt64(markets)), source: i % 5, price: price, time: t)
    }
}

let env = ProcessInfo.processInfo.environment
let updatesPerRound = Int(env["BENCH_UPDATES"] ?? "") ?? 1_000_000
let rounds = Int(env["BENCH_ROUNDS"] ?? "") ?? 5
let batchSize = 1_000
/// BENCH_MODE=single or batch runs only that way in (for profiling).
let mode = env["BENCH_MODE"] ?? "both"
let counts = CommandLine.arguments.dropFirst().compactMap(Int.init)
// The engine's low-level tricks this binary was built with. Each can be left out at build
// time to measure what it brings (docs/benchmarks.md), e.g.
//   swift build -c release --product EngineBenchmark -Xswiftc -DBREAKWATER_NO_PREFETCH
// (also -DBREAKWATER_NO_HUGE_PAGES, -DBREAKWATER_SORT_INSERTION, -DBREAKWATER_SORT_STANDARD).
#if BREAKWATER_NO_PREFETCH
let prefetch = "off"
#else
let prefetch = "on"
#endif
#if BREAKWATER_NO_HUGE_PAGES
let hugePages = "off"
#else
let hugePages = "on"
#endif
#if BREAKWATER_SORT_INSERTION
let smallSort = "insertion"
#elseif BREAKWATER_SORT_STANDARD
let smallSort = "standard"
#else
let smallSort = "networks"
#endif
print("prefetch \(prefetch), huge pages \(hugePages), sorts of 2 to 8 values: \(smallSort)")

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

for marketCount in counts.isEmpty ? [10, 1_000, 10_000] : counts {
    let markets = (0..<marketCount).map { i in
        MarketParameters(
            id: "M\(i)",
            sources: (0..<5).map { SourceParameters(id: "s\($0)", kind: "push") },
            aggregation: .init(minSources: 3, maxAgeSeconds: 30, maxDeviation: 0.02)
        )
    }
    var engine = try! RiskEngine(markets: markets, start: 0)
    var stream = QuoteStream(markets: marketCount)
    for m in 0..<marketCount {
        for s in 0..<5 { engine.ingest(Quote(market: m, source: s, price: 100, time: 0), at: 0) }
    }
    var single: [Double] = []
    var batched: [Double] = []
    var refused = 0
    for _ in 0..<rounds {
        var start = seconds()
        if mode != "batch" {
            for _ in 0..<updatesPerRound {
                let q = stream.next()
                if engine.ingest(q, at: q.time) != nil { refused += 1 }
            }
            single.append(Double(updatesPerRound) / (seconds() - start))
            _ = engine.drainEvents()
        }
        if mode == "single" { continue }

        var batch: [Quote] = []
        batch.reserveCapacity(batchSize)
        var elapsed = 0.0
        for _ in 0..<(updatesPerRound / batchSize) {
            batch.removeAll(keepingCapacity: true)
            for _ in 0..<batchSize { batch.append(stream.next()) }
            start = seconds()
            refused += engine.ingest(batch, at: stream.t).count
            elapsed += seconds() - start
        }
        batched.append(Double(updatesPerRound / batchSize * batchSize) / elapsed)
        _ = engine.drainEvents()
    }
    let s = single.isEmpty ? .nan : median(single)
    let b = batched.isEmpty ? .nan : median(batched)
    func figure(_ rate: Double) -> String { rate.isNaN ? "-" : "\(Int(rate)) updates/s (\(Int(1e9 / rate)) ns)" }
    print(
        "markets \(marketCount) x 5 sources: one at a time \(figure(s)), batches of \(batchSize) \(figure(b)); refused \(refused)"
    )
}
