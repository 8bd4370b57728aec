extension PriceVelocity.Entries {
    /// Runs `body` over the two inline rings in place, as slots: the queue of highs', then
    /// the queue of lows'. An `InlineArray` of entries is laid out as its entries one after
    /// another, so each ring is `MonotoneQueue.inlineCapacity` consecutive entries.
    @inline(__always)
    mutating func withRings<R>(_ body: (Slots<MonotoneQueue.Entry>, Slots<MonotoneQueue.Entry>) -> R) -> R {
        let capacity = MonotoneQueue.inlineCapacity
        return withUnsafeMutablePointer(to: &highs) { h in
            withUnsafeMutablePointer(to: &lows) { l in
                body(
                    Slots(
                        UnsafeMutableRawPointer(h).assumingMemoryBound(to: MonotoneQueue.Entry.self),
                        count: capacity
                    ),
                    Slots(UnsafeMutableRawPointer(l).assumingMemoryBound(to: MonotoneQueue.Entry.self), count: capacity)
                )
            }
        }
    }
}
