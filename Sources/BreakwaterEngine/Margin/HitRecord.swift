/// The hit sequence of one side at one margin level: whole-history counts and transitions, and
/// the last 250 hits as bits. A few dozen bytes, whatever the length of the history.
public struct HitRecord: Sendable, Equatable {
    public private(set) var windows = 0
    public private(set) var exceptions = 0
    public private(set) var transitions = HitTransitions()
    public private(set) var recent = RecentHits()
    private var last: Bool?

    public init() {}

    /// Appends the hit of the newest window.
    public mutating func record(_ hit: Bool) {
        windows += 1
        if hit { exceptions += 1 }
        if let previous = last { transitions.count(from: previous, to: hit) }
        last = hit
        recent.append(hit)
    }

    /// The figures over the whole history, at promised exception probability `p`.
    public func wholeHistory(p: Double) -> BacktestFigures {
        BacktestFigures(windows: windows, exceptions: exceptions, transitions: transitions, p: p)
    }

    /// The figures over the last 250 windows (all of them while fewer), at probability `p`.
    public func last250(p: Double) -> BacktestFigures {
        let hits = recent.hits
        return BacktestFigures(
            windows: hits.count,
            exceptions: recent.exceptions,
            transitions: HitTransitions(hits: hits),
            p: p
        )
    }
}
