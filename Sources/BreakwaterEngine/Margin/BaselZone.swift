/// The Basel traffic light for a count of exceptions: with F the binomial CDF at the promised
/// exception probability p, green while F(x) < 0.95, yellow while F(x) < 0.9999, red above
/// (at p = 1 % over 250 windows: green 0-4, yellow 5-9, red 10+).
public enum BaselZone: String, Sendable, CaseIterable, Codable, Comparable {
    case green, yellow, red

    /// The zone of `exceptions` in `windows`; nil (unrated) below `minimumWindows(p:)`, where a
    /// single exception would already read red or yellow by the saturation of F (at one window,
    /// F(1) = 1), not by evidence. No exception is always green.
    public static func of(exceptions x: Int, windows n: Int, p: Double) -> BaselZone? {
        guard n >= minimumWindows(p: p) else { return nil }
        if x == 0 { return .green }
        let f = CoverageTests.binomialCDF(x, n: n, p: p)
        if f < 0.95 { return .green }
        if f < 0.9999 { return .yellow }
        return .red
    }

    /// The fewest windows that are rated: the smallest n with P(no exception) = (1 - p)^n below
    /// 0.95, the first n at which the rule itself reads no exception as green (6 at p = 1 %).
    public static func minimumWindows(p: Double) -> Int {
        guard p > 0, p < 1 else { return 1 }
        var n = 1
        var none = 1 - p
        while none >= 0.95 && n < 1_000_000 {
            n += 1
            none *= 1 - p
        }
        return n
    }

    public static func < (l: Self, r: Self) -> Bool { l.rank < r.rank }
    private var rank: Int {
        switch self {
        case .green: 0
        case .yellow: 1
        case .red: 2
        }
    }
}
