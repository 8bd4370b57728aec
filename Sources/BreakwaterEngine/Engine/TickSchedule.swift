/// The fixed cadence on which the engine's clock advances, shared by `serve` (wall clock)
/// and `replay` (simulated clock), so timers fire the same way in both.
///
/// Tick k is at `origin + k x tickSeconds`, computed from the anchor rather than added up
/// tick by tick: times do not drift (0.1 s added 300 times to 1.7e9 is not 30 s later), and a
/// tick reached by a jump is the tick reached by stepping.
public struct TickSchedule: Sendable {
    /// Seconds between ticks.
    public let tickSeconds: Double
    /// Most ticks run for one gap; a longer gap is crossed in that many equal steps.
    public let maxTicksPerGap: Int
    /// The cadence's anchor (NaN before the first tick is placed) and the next tick's index.
    private var origin: EpochSeconds = .nan
    private var nextIndex: Double = 0

    public init(tickSeconds: Double, maxTicksPerGap: Int = 20_000) {
        self.tickSeconds = tickSeconds
        self.maxTicksPerGap = maxTicksPerGap
    }

    /// Puts the first tick at `t` without running it (replay: at the first row, to run once
    /// that instant's rows are in).
    public mutating func start(at t: EpochSeconds) {
        if t.isFinite { anchor(at: t, next: 0) }
    }

    /// Advances `engine` through every tick up to and including `t`.
    ///
    /// - Parameter quietFrom: when nothing can happen after this time without another quote
    ///   (replay knows: its last row plus every timer), the ticks after it are skipped and the
    ///   engine is advanced once, to the last tick at or before `t`; events keep their exact
    ///   tick times across a gap of any length.
    public mutating func catchUp(_ engine: inout RiskEngine, to t: EpochSeconds, quietFrom: EpochSeconds? = nil) {
        guard t.isFinite else { return }
        guard !origin.isNaN else {
            anchor(at: t, next: 1)
            engine.advance(to: t)
            return
        }
        var k = nextIndex
        var next = time(ofTick: k)
        guard next <= t else { return }
        if let quiet = quietFrom, quiet < t {
            // The ticks up to the quiet time (their number is bounded by the timers), then one
            // jump along the cadence to the last tick by t. While the engine is dormant, the
            // ticks before its next timer change nothing and are skipped.
            while next <= quiet {
                engine.advance(to: next)
                var after = k + 1
                guard time(ofTick: after) > next else { break }  // so large a time that a tick no longer adds
                if let wake = engine.dormantUntil { after = max(after, lastTick(before: min(wake, quiet), from: k)) }
                k = after
                next = time(ofTick: k)
            }
            if next <= t {
                var last = k + ((t - next) / tickSeconds).rounded(.down)
                if last > k && time(ofTick: last) > t { last -= 1 }  // rounding
                engine.advance(to: time(ofTick: last))
                k = last + 1
            }
            nextIndex = k
            return
        }
        // Counted in Double: a gap to an absurd time (1e19 s) must not trap an Int conversion.
        let ticks = ((t - next) / tickSeconds).rounded(.down) + 1
        if ticks > Double(maxTicksPerGap) {
            // A long gap in equal steps, then the cadence starts again from t.
            let step = (t - next) / Double(maxTicksPerGap)
            while next <= t {
                engine.advance(to: next)
                let after = next + step
                // At times so large that a step no longer adds (|t| past 2^53 steps), stop at t.
                guard after > next else {
                    engine.advance(to: t)
                    break
                }
                next = after
            }
            anchor(at: t, next: 1)
            return
        }
        while next <= t {
            engine.advance(to: next)
            k += 1
            let after = time(ofTick: k)
            guard after > next else {
                engine.advance(to: t)
                anchor(at: t, next: 1)
                return
            }
            next = after
        }
        nextIndex = k
    }

    private func time(ofTick k: Double) -> EpochSeconds { origin + k * tickSeconds }

    private mutating func anchor(at t: EpochSeconds, next k: Double) {
        origin = t
        nextIndex = k
    }

    /// The index of the last tick (from tick `k` on) that is a whole tick before `time` (a
    /// margin against rounding: the tick at or just before `time` then runs); `k` when there
    /// is none.
    func lastTick(before time: EpochSeconds, from k: Double) -> Double {
        let n = ((time - self.time(ofTick: k)) / tickSeconds).rounded(.down) - 1
        guard n >= 1 else { return k }
        return self.time(ofTick: k + n) < time ? k + n : k
    }
}
