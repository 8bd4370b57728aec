import BreakwaterSystemic
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One update of the correlation regime on one core, for 100 and 1,000 markets (goals: < 20 ms
/// and < 2 s): EWMA covariance of every pair, correlation, average correlation, the absorption
/// ratio's eigenvalues (LAPACK dsyevr) and turbulence (Cholesky, dpotrf + dpotrs), the worst
/// case of each: every market in the view and a covariance of full rank (the warm-up feeds more
/// samples than markets while `minSamples` keeps the view empty, so the timed updates do all
/// the work). Prices follow one common factor plus noise of their own. Each figure is the
/// median (and max) of the timed updates, wall time and this thread's CPU time (the machine's
/// cores are shared: CPU time is what the update itself costs).
///
/// Run: swift build -c release --product SystemicBenchmark
///      taskset -c 0 .build/release/SystemicBenchmark [market counts...]
func seconds(_ clock: clockid_t = CLOCK_MONOTONIC) -> Double {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// xorshift64 draws; `normal` by Box-Muller.
struct Draws {
    var state: UInt64 = 88_172_645_463_325_252
    mutating func uniform() -> Double {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return (Double(state >> 11) + 0.5) / Double(1 << 53)
    }
    mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
}

let counts = CommandLine.arguments.dropFirst().compactMap { Int($0) }
for n in counts.isEmpty ? [100, 1000] : counts {
    var p = SystemicParameters()
    p.sampleSeconds = 60
    p.halfLifeSeconds = 60 * Double(4 * n)  // long enough for a covariance of full rank
    p.minSamples = n + 50
    p.shortWindow = 2
    p.longWindow = 3
    var regime = CorrelationRegime(markets: (0..<n).map { "M\($0)" }, parameters: p)
    var draws = Draws()
    var prices = [Double](repeating: 100, count: n)
    var t = 0.0
    func sample() throws -> SystemView {
        let common = draws.normal()
        for i in 0..<n { prices[i] *= exp(0.001 * (0.5 * common + draws.normal())) }
        t += 60
        return try regime.update(at: t, prices: prices)!
    }
    let warmStart = seconds()
    for _ in 0..<(p.minSamples - 1) { _ = try sample() }
    let warm = seconds() - warmStart
    var times: [Double] = []
    var cpu: [Double] = []
    var last: SystemView?
    for _ in 0..<(n >= 1000 ? 5 : 50) {
        let (start, startCPU) = (seconds(), seconds(CLOCK_THREAD_CPUTIME_ID))
        last = try sample()
        times.append(seconds() - start)
        cpu.append(seconds(CLOCK_THREAD_CPUTIME_ID) - startCPU)
    }
    times.sort()
    cpu.sort()
    let v = last!
    print(
        "\(n) markets: one update median \(String(format: "%.2f", times[times.count / 2] * 1000)) ms, "
            + "max \(String(format: "%.2f", times.last! * 1000)) ms over \(times.count) updates; CPU median "
            + "\(String(format: "%.2f", cpu[cpu.count / 2] * 1000)) ms, max \(String(format: "%.2f", cpu.last! * 1000)) ms "
            + "(in view \(v.markets.count), turbulence \(v.turbulence.map { String(format: "%.1f", $0) } ?? "none: \(v.turbulenceNote ?? "")"), "
            + "absorption ratio \(String(format: "%.3f", v.absorptionRatio ?? .nan)); "
            + "warm-up \(p.minSamples - 1) covariance-only updates took \(String(format: "%.1f", warm)) s)"
    )
}
