/// One origin market in the critical-markets ranking: the smallest move of it alone (carried
/// to the others by the betas) whose total bad debt empties the insurance fund.
public struct CriticalMarket: Sendable, Equatable, Codable {
    public var origin: String
    public var impact: ImpactModel
    /// The direction of the smaller breaking shock (nil when neither direction breaks the fund).
    public var direction: ShockDirection?
    /// The smallest breaking origin shock, fraction (bisection to 1e-6); nil when no shock
    /// below 100 % empties the fund.
    public var shock: Double?
    /// The origin's one-day 99.9 % move, fraction.
    public var dayMove999: Double
    /// shock / dayMove999: below 1, a 1-in-1000 day breaks the protocol.
    public var ratio: Double?

    public init(
        origin: String,
        impact: ImpactModel,
        direction: ShockDirection?,
        shock: Double?,
        dayMove999: Double
    ) {
        self.origin = origin
        self.impact = impact
        self.direction = direction
        self.shock = shock
        self.dayMove999 = dayMove999
        self.ratio = shock.map { $0 / dayMove999 }
    }
}
