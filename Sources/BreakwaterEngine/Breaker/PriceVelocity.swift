/// Tracks the highest and lowest aggregate within a trailing time window (monotone queues),
/// to find the largest relative move between any two aggregates within it.
///
/// Each `record` compares the new price with the window's extremes before it, so every pair
/// (earlier a, later b) within the window is judged when b arrives: the move is
/// |b - a| / a. Amortized O(1) per record. The queues' newest entries live in
/// `PriceVelocity.Entries`, which the owner stores apart (at the cold end of the market) and
/// passes in; this struct is the small part every quote reads.
public struct PriceVelocity: Sendable {
    /// Inline rings of the newest entries of the queue of highs and the queue of lows.
    struct Entries: Sendable {
        var highs = MonotoneQueue.emptyRing
        var lows = MonotoneQueue.emptyRing
    }

    public let windowSeconds: Double
    private var highs = MonotoneQueue()
    private var lows = MonotoneQueue()

    public init(windowSeconds: Double) { self.windowSeconds = windowSeconds }

    /// Records `price` at `time`; returns the largest relative move from any earlier
    /// aggregate still in the window to this one (a fraction, >= 0).
    mutating func record(price: Double, at time: EpochSeconds, entries: inout Entries) -> Double {
        let cutoff = time - windowSeconds
        return entries.withRings { highRing, lowRing in
            highs.dropOlder(than: cutoff, highRing)
            lows.dropOlder(than: cutoff, lowRing)
            var move = 0.0
            if !highs.isEmpty {
                let high = highs.oldest.price
                move = max(move, (high - price) / high)
            }
            if !lows.isEmpty {
                let low = lows.oldest.price
                move = max(move, (price - low) / low)
            }
            highs.push(price, at: time, keepsHighs: true, highRing)
            lows.push(price, at: time, keepsHighs: false, lowRing)
            return move
        }
    }

    /// At the first price back after an outage: when nothing is left in the window (the outage
    /// outlasted it), records `lastPrice`, the last good price before the outage, at `time`, so
    /// that the next `record` measures the move across the gap as if it had been instantaneous.
    /// A shorter outage leaves the window's own prices to judge the move.
    mutating func carryAcrossOutage(lastPrice: Double, at time: EpochSeconds, entries: inout Entries) {
        let cutoff = time - windowSeconds
        let empty = entries.withRings { highRing, lowRing in
            highs.dropOlder(than: cutoff, highRing)
            lows.dropOlder(than: cutoff, lowRing)
            return highs.isEmpty && lows.isEmpty
        }
        if empty { _ = record(price: lastPrice, at: time, entries: &entries) }
    }

    /// Byte offsets of the two queue headers within the struct (measured once, by `MarketLayout`).
    static var queueOffsets: (highs: Int, lows: Int) {
        (
            MemoryLayout<PriceVelocity>.offset(of: \PriceVelocity.highs)!,
            MemoryLayout<PriceVelocity>.offset(of: \PriceVelocity.lows)!
        )
    }

    /// Forgets the window (after a halt ends, as CME restarts its window).
    public mutating func clear() {
        highs.removeAll()
        lows.removeAll()
    }
}
