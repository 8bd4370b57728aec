/// A joint scenario: a shock per market (markets not named are not moved) under one impact
/// model, evaluated against the one insurance fund.
public struct Scenario: Sendable, Equatable, Codable {
    public var shocks: [String: Shock]
    public var impact: ImpactModel

    public init(shocks: [String: Shock], impact: ImpactModel) {
        self.shocks = shocks
        self.impact = impact
    }

    /// A shock `shock` in `origin` carried to every market of `markets` by `betas`: B moves
    /// |beta_BA| s, the same way when beta_BA > 0 and the other way when it is < 0; a market
    /// with beta 0 is not moved.
    public static func contagion(
        from origin: String,
        _ shock: Shock,
        markets: [String],
        betas: BetaMatrix,
        impact: ImpactModel
    ) -> Scenario {
        var shocks: [String: Shock] = [:]
        for b in markets {
            let beta = betas.beta(of: b, to: origin)
            if beta == 0 { continue }
            shocks[b] = Shock(beta > 0 ? shock.direction : shock.direction.opposite, abs(beta) * shock.size)
        }
        return Scenario(shocks: shocks, impact: impact)
    }
}

/// A scenario's outcome: the cascades, the bad debt against the fund, and auto-deleveraging.
public struct ScenarioResult: Sendable, Equatable, Codable {
    public var scenario: Scenario
    /// One cascade per shocked market, in the book's market order.
    public var cascades: [CascadeResult]
    /// Sum of the cascades' bad debt, quote currency.
    public var badDebt: Double
    public var insuranceFund: Double
    /// max(0, bad debt - fund): what auto-deleveraging must cover.
    public var shortfall: Double
    /// The shortfall split by the side that is deleveraged (the profitable side opposite the
    /// liquidated one), in proportion to the bad debt each liquidated side left.
    public var adlNeed: ADLNeed
    /// Accounts first in line to be deleveraged, with what each gives up (empty when there is
    /// no shortfall or no position names an account).
    public var adlQueue: [ADLQueueEntry]

    public init(
        scenario: Scenario,
        cascades: [CascadeResult],
        badDebt: Double,
        insuranceFund: Double,
        shortfall: Double,
        adlNeed: ADLNeed,
        adlQueue: [ADLQueueEntry]
    ) {
        self.scenario = scenario
        self.cascades = cascades
        self.badDebt = badDebt
        self.insuranceFund = insuranceFund
        self.shortfall = shortfall
        self.adlNeed = adlNeed
        self.adlQueue = adlQueue
    }
}
