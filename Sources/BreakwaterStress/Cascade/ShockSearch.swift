/// The bisection both depletion searches share.
enum ShockSearch {
    /// The smallest s in [0, 1) for which `breaks(s)` holds, to within `tolerance` (the answer
    /// is the upper end of the last bracket, so `breaks` holds there); 0 when it holds at 0,
    /// nil when it does not hold at 1. Assumes `breaks` is monotone in s.
    static func smallest(tolerance: Double, _ breaks: (Double) -> Bool) -> Double? {
        if breaks(0) { return 0 }
        guard breaks(1) else { return nil }
        var lo = 0.0
        var hi = 1.0
        while hi - lo > tolerance {
            let mid = (lo + hi) / 2
            if breaks(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }
}
