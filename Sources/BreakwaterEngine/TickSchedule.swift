/// The fixed cadence on which the engine's clock advances, shared by `serve` (wall clock)
/// and `replay` (simulated clock), so timers fire the same way in both.
public struct TickSchedule: Sendable {
    /// Seconds between ticks.
    public let tickSeconds: Double
    /// Most ticks run for one gap; a longer gap is crossed in that many equal steps.
    public let maxTicksPerGap: Int
    public private(set) var nextTick: EpochSeconds?

    public init(tickSeconds: Double, maxTicksPerGap: Int = 20_000) {
        self.tickSeconds = tickSeconds
        self.maxTicksPerGap = maxTicksPerGap
    }

    /// Puts the first tick at `t` without running it (replay: at the first row, to run once
    /// that instant's rows are in).
    public mutating func start(at t: EpochSeconds) {
        if t.isFinite { nextTick = t }
    }

    /// Advances `engine` through every tick up to and including `t`.
    ///
    /// - Parameter quietFrom: when nothing can happen after this time without another quote
    ///   (replay knows: its last row plus every timer), the ticks after it are skipped and the
    ///   engine is advanced once, to the last tick at or before `t`; events keep their exact
    ///   tick times across a gap of any length.
    public mutating func catchUp(_ engine: inout RiskEngine, to t: EpochSeconds, quietFrom: EpochSeconds? = nil) {
        guard t.isFinite else { return }
        guard var next = nextTick else {
            nextTick = t + tickSeconds
            engine.advance(to: t)
            return
        }
        guard next <= t else { return }
        if let quiet = quietFrom, quiet < t {
            // The ticks up to the quiet time (their number is bounded by the timers), then one
            // jump along the cadence to the last tick by t. While the engine is dormant, the
            // ticks before its next timer change nothing and are skipped.
            while next <= quiet {
                engine.advance(to: next)
                var after = next + tickSeconds
                guard after > next else { break } // so large a time that a tick no longer adds
                if let wake = engine.dormantUntil { after = max(after, lastTick(before: min(wake, quiet), from: next)) }
                next = after
            }
            if next <= t {
                let last = next + ((t - next) / tickSeconds).rounded(.down) * tickSeconds
                engine.advance(to: last)
                next = last + tickSeconds
            }
            nextTick = next
            return
        }
        // Counted in Double: a gap to an absurd time (1e19 s) must not trap an Int conversion.
        let ticks = ((t - next) / tickSeconds).rounded(.down) + 1
        var step = tickSeconds
        if ticks > Double(maxTicksPerGap) { step = (t - next) / Double(maxTicksPerGap) }
        while next <= t {
            engine.advance(to: next)
            let after = next + step
            // At times so large that a step no longer adds (|t| past 2^53 steps), stop at t.
            guard after > next else { engine.advance(to: t); next = t; break }
            next = after
        }
        // Re-align to the cadence after a long gap.
        if step != tickSeconds || next <= t { next = t + tickSeconds }
        nextTick = next
    }

    /// The last tick of the cadence through `from` that is a whole tick before `time` (a
    /// margin against rounding: the tick at or just before `time` then runs); `from` when
    /// there is none.
    func lastTick(before time: EpochSeconds, from: EpochSeconds) -> EpochSeconds {
        let ticks = ((time - from) / tickSeconds).rounded(.down) - 1
        guard ticks >= 1 else { return from }
        let tick = from + ticks * tickSeconds
        return tick < time ? tick : from
    }
}
