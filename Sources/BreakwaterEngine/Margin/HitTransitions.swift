/// Transition counts of a hit sequence I_1..I_T (1 = exception): n_ij counts the windows with
/// hit j that follow a window with hit i, T - 1 of them in all (Christoffersen 1998).
public struct HitTransitions: Sendable, Equatable {
    public var n00 = 0
    public var n01 = 0
    public var n10 = 0
    public var n11 = 0

    public init(n00: Int = 0, n01: Int = 0, n10: Int = 0, n11: Int = 0) {
        (self.n00, self.n01, self.n10, self.n11) = (n00, n01, n10, n11)
    }

    /// Counts the step from hit `previous` to hit `current`.
    public mutating func count(from previous: Bool, to current: Bool) {
        switch (previous, current) {
        case (false, false): n00 += 1
        case (false, true): n01 += 1
        case (true, false): n10 += 1
        case (true, true): n11 += 1
        }
    }

    /// The transitions of `hits`, in order.
    public init(hits: some Sequence<Bool>) {
        self.init()
        var previous: Bool?
        for h in hits {
            if let p = previous { count(from: p, to: h) }
            previous = h
        }
    }
}
