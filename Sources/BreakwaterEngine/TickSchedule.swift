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

    /// Advances `engine` through every tick up to and including `t`.
    public mutating func catchUp(_ engine: inout RiskEngine, to t: EpochSeconds) {
        guard t.isFinite else { return }
        guard var next = nextTick else {
            nextTick = t + tickSeconds
            engine.advance(to: t)
            return
        }
        guard next <= t else { return }
        // Counted in Double: a gap to an absurd time (1e19 s) must not trap an Int conversion.
        let ticks = ((t - next) / tickSeconds).rounded(.down) + 1
        var step = tickSeconds
        if ticks > Double(maxTicksPerGap) { step = (t - next) / Double(maxTicksPerGap) }
        while next <= t {
            engine.advance(to: next)
            next += step
        }
        // Re-align to the cadence after a long gap.
        if step != tickSeconds { next = t + tickSeconds }
        nextTick = next
    }
}
