/// Tracks the highest and lowest aggregate within a trailing time window (monotonic queues),
/// to find the largest relative move between any two aggregates within it.
///
/// Each `record` compares the new price with the window's extremes before it, so every pair
/// (earlier a, later b) within the window is judged when b arrives: the move is
/// |b - a| / a. Amortized O(1) per record.
public struct PriceVelocity: Sendable, Equatable {
    public let windowSeconds: Double
    private var highs: [(time: EpochSeconds, price: Double)] = []
    private var highHead = 0
    private var lows: [(time: EpochSeconds, price: Double)] = []
    private var lowHead = 0

    public init(windowSeconds: Double) { self.windowSeconds = windowSeconds }

    public static func == (a: PriceVelocity, b: PriceVelocity) -> Bool {
        a.windowSeconds == b.windowSeconds && a.highs.count - a.highHead == b.highs.count - b.highHead
    }

    /// Records `price` at `time`; returns the largest relative move from any earlier
    /// aggregate still in the window to this one (a fraction, >= 0).
    public mutating func record(price: Double, at time: EpochSeconds) -> Double {
        let cutoff = time - windowSeconds
        while highHead < highs.count && highs[highHead].time < cutoff { highHead += 1 }
        while lowHead < lows.count && lows[lowHead].time < cutoff { lowHead += 1 }
        var move = 0.0
        if highHead < highs.count {
            let high = highs[highHead].price
            move = max(move, (high - price) / high)
        }
        if lowHead < lows.count {
            let low = lows[lowHead].price
            move = max(move, (price - low) / low)
        }
        while highs.count > highHead && highs[highs.count - 1].price <= price { highs.removeLast() }
        highs.append((time, price))
        while lows.count > lowHead && lows[lows.count - 1].price >= price { lows.removeLast() }
        lows.append((time, price))
        if highHead > 64 && highHead * 2 > highs.count { highs.removeFirst(highHead); highHead = 0 }
        if lowHead > 64 && lowHead * 2 > lows.count { lows.removeFirst(lowHead); lowHead = 0 }
        return move
    }

    /// Forgets the window (after a halt ends, as CME restarts its window).
    public mutating func clear() {
        highs.removeAll(keepingCapacity: true); highHead = 0
        lows.removeAll(keepingCapacity: true); lowHead = 0
    }
}
