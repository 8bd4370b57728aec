import BreakwaterStress
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One full stress pass on one core: 100,000 positions over 100 markets (1,000 each), with a
/// full beta matrix (every origin moves every market): per market the liquidation map, 3 shocks
/// x 2 directions x 2 impact models, the 4 depletion shocks by bisection to 1e-6, and the
/// critical-markets search from every origin under both impact models. The sort (once per
/// snapshot) is timed apart from the pass. Then the reader on the same book as JSON, and on
/// 1,000,000 positions. Each figure is the median of 5 rounds.
///
/// Run: swift build -c release --product StressBenchmark && .build/release/StressBenchmark [markets] [per market]
func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// xorshift64: the same book every run.
struct Stream {
    var state: UInt64 = 88_172_645_463_325_252
    mutating func uniform() -> Double {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }
    mutating func between(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }
}

/// CPU time of this thread, seconds: on a shared machine, what the pass costs one core.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let marketCount = arguments.first ?? 100
let perMarket = arguments.dropFirst().first ?? 1000
var rng = Stream()
var snapshotMarkets: [MarketBook] = []
var stressMarkets: [StressMarket] = []
var openNotional = 0.0
for i in 0..<marketCount {
    let price = pow(10, rng.between(-1, 4.5))
    var notional = 0.0
    let positions = (0..<perMarket).map { _ in
        let size = pow(10, rng.between(2, 6)) / price
        let entry = price * rng.between(0.9, 1.1)
        let leverage = pow(10, rng.between(0, 1.7))  // 1x to 50x
        notional += size * price
        return Position(
            side: rng.uniform() < 0.5 ? .long : .short,
            size: size,
            entry: entry,
            collateral: size * entry / leverage,
            account: "acct-\(i)-\(Int(rng.uniform() * 1e9))"
        )
    }
    openNotional += notional
    snapshotMarkets.append(MarketBook(market: "M\(i)-USD", positions: positions, mark: price))
    let sigmaDay = rng.between(0.02, 0.08)
    stressMarkets.append(
        StressMarket(
            id: "M\(i)-USD",
            price: price,
            maintenance: rng.between(0.005, 0.02),
            sigmaDay: sigmaDay,
            liquidity: MarketLiquidity(
                dailyVolume: notional * rng.between(2, 20),
                depth1Pct: notional * rng.between(0.02, 0.2),
                impactY: rng.between(0.5, 1)
            ),
            dayMove999: 3.09 * sigmaDay
        )
    )
}
var betas = BetaMatrix()
for b in stressMarkets {
    for a in stressMarkets where a.id != b.id { betas.set(rng.between(0.2, 0.9), of: b.id, to: a.id) }
}
let snapshot = PositionSnapshot(asOf: 0, insuranceFund: openNotional * 0.002, markets: snapshotMarkets)
print("stress pass: \(marketCount) markets x \(perMarket) positions = \(snapshot.positionCount), full beta matrix")

var sortTimes: [Double] = []
var passTimes: [Double] = []
var passCPU: [Double] = []
var report: StressReport?
for _ in 0..<5 {
    let t0 = seconds()
    let (book, _) = StressBook.build(snapshot: snapshot, markets: stressMarkets)
    let t1 = seconds()
    let c1 = cpuSeconds()
    report = StressPass.run(book, asOf: 0, betas: betas)
    passCPU.append(cpuSeconds() - c1)
    let t2 = seconds()
    sortTimes.append(t1 - t0)
    passTimes.append(t2 - t1)
}
if let report {
    let cascades = report.markets.reduce(0) { $0 + $1.cascades.count }
    let bad = report.markets.flatMap(\.cascades).filter { $0.badDebt > 0 }.count
    let broken = report.critical.map { $0.filter { $0.shock != nil }.count }
    print("  \(cascades) cascades (\(bad) with bad debt), critical origins that break the fund: \(broken)")
}
print(
    String(
        format:
            "  sort once per snapshot: %.1f ms; pass: %.1f ms wall, %.1f ms CPU (median of 5; wall min %.1f, max %.1f)",
        median(sortTimes) * 1000,
        median(passTimes) * 1000,
        median(passCPU) * 1000,
        passTimes.min()! * 1000,
        passTimes.max()! * 1000
    )
)

/// The snapshot as POST /v1/positions takes it.
func json(_ markets: [MarketBook]) -> [UInt8] {
    var text = "{\"asOf\": 0, \"insuranceFund\": {\"balance\": 1000000}, \"markets\": ["
    for (i, m) in markets.enumerated() {
        text += (i == 0 ? "" : ",") + "{\"market\": \"\(m.market)\", \"positions\": ["
        for (k, p) in m.positions.enumerated() {
            text +=
                (k == 0 ? "" : ",")
                + "{\"side\":\"\(p.side.rawValue)\",\"size\":\(p.size),\"entry\":\(p.entry),\"collateral\":\(p.collateral),\"account\":\"\(p.account ?? "")\"}"
        }
        text += "]}"
    }
    return Array((text + "]}").utf8)
}

for copies in [1, 10] {
    var markets: [MarketBook] = []
    for c in 0..<copies {
        markets += snapshotMarkets.map { m in
            MarketBook(market: copies == 1 ? m.market : "\(m.market)-\(c)", positions: m.positions)
        }
    }
    let bytes = json(markets)
    let known = Set(markets.map(\.market))
    var times: [Double] = []
    var cpu: [Double] = []
    var count = 0
    for _ in 0..<5 {
        let t0 = seconds()
        let c0 = cpuSeconds()
        let reading = try bytes.withUnsafeBufferPointer { try PositionSnapshotReader.read($0, knownMarkets: known) }
        cpu.append(cpuSeconds() - c0)
        times.append(seconds() - t0)
        count = reading.snapshot.positionCount
    }
    print(
        String(
            format: "  reader: %d positions (%.1f MiB of JSON) in %.0f ms wall, %.0f ms CPU (median of 5)",
            count,
            Double(bytes.count) / 1_048_576,
            median(times) * 1000,
            median(cpu) * 1000
        )
    )
}

var usage = rusage()
getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
print("  peak resident memory of the whole run: \(usage.ru_maxrss / 1024) MiB")
