/// Byte offsets inside `MarketState` that batched ingestion prefetches, measured once when
/// the engine is built (key paths are too slow for the per-quote path).
struct MarketLayout: Sendable {
    /// Bytes from the start every evaluation touches: all fields before the reference
    /// window's buckets (the velocity queues' headers included).
    let hotBytes: Int
    /// Starts of the velocity queues' headers (highs, lows).
    let highQueue: Int
    let lowQueue: Int
    /// Starts of the velocity queues' rings of entries (highs, lows).
    let highRing: Int
    let lowRing: Int

    init() {
        hotBytes = MemoryLayout<MarketState>.offset(of: \MarketState.reference)! + TimeWeightedMean.slotsOffset
        let velocity = MemoryLayout<MarketState>.offset(of: \MarketState.velocity)!
        highQueue = velocity + PriceVelocity.queueOffsets.highs
        lowQueue = velocity + PriceVelocity.queueOffsets.lows
        let entries = MemoryLayout<MarketState>.offset(of: \MarketState.velocityEntries)!
        highRing = entries + MemoryLayout<PriceVelocity.Entries>.offset(of: \PriceVelocity.Entries.highs)!
        lowRing = entries + MemoryLayout<PriceVelocity.Entries>.offset(of: \PriceVelocity.Entries.lows)!
    }
}
