public import BreakwaterEngine

extension MarketStateRecord {
    /// The part of `s` that survives a restart (halts, margins per side, last good price), stamped `updatedAt`
    /// (epoch seconds). Two snapshots with equal records at the same `updatedAt` need no second save.
    public init(_ s: MarketSnapshot, updatedAt: EpochSeconds) {
        self.init(
            market: s.id,
            manual: s.manual,
            bandHaltUntil: s.bandHaltUntil,
            velocityHaltUntil: s.velocityHaltUntil,
            maintenanceMargin: s.maintenanceMargin,
            longMaintenanceMargin: s.longMaintenanceMargin,
            shortMaintenanceMargin: s.shortMaintenanceMargin,
            lastGoodPrice: s.lastGoodPrice,
            lastGoodPriceTime: s.lastGoodPriceTime,
            updatedAt: updatedAt
        )
    }
}
