/// One market's positions made ready for stress: both sides sorted once (O(n log n)); every
/// cascade, map and depletion search after that costs binary searches only.
public struct MarketStressBook: Sendable {
    public let market: StressMarket
    /// The positions as given (ladder entries point into it).
    public let positions: [Position]
    let longs: LiquidationLadder
    let shorts: LiquidationLadder

    public init(market: StressMarket, positions: [Position]) {
        self.market = market
        self.positions = positions
        longs = LiquidationLadder(side: .long, positions: positions, maintenance: market.maintenance)
        shorts = LiquidationLadder(side: .short, positions: positions, maintenance: market.maintenance)
    }

    func ladder(_ side: PositionSide) -> LiquidationLadder { side == .long ? longs : shorts }

    /// Runs the cascade of section 3 of domain-systemic.md. Down: P0 = P_ref (1 - s) floored at
    /// 0; each round every long with P_k <= P_liq not yet liquidated joins, V += q P_ref,
    /// P_{k+1} = P0 (1 - impact(V)) floored at 0, and they fill at P_{k+1}; it stops when a round
    /// adds nobody. Up mirrors it with shorts and no ceiling.
    public func cascade(_ shock: Shock, impact model: ImpactModel) -> CascadeResult {
        let run = rounds(shock, impact: model)
        let ladder = ladder(shock.direction.losingSide)
        return CascadeResult(
            market: market.id,
            shock: shock,
            impact: model,
            finalPrice: run.price,
            rounds: run.rounds,
            liquidatedPositions: run.joined,
            liquidatedNotional: ladder.size(0..<run.joined) * market.price,
            underwaterNotional: run.underwaterSize * market.price,
            badDebt: run.badDebt
        )
    }

    /// Bad debt alone (the depletion and contagion searches call this many times).
    func badDebt(_ shock: Shock, impact model: ImpactModel) -> Double {
        rounds(shock, impact: model).badDebt
    }

    /// The cascade's rounds, without building a result (no reference counting in the loop the
    /// searches run hundreds of thousands of times).
    private func rounds(
        _ shock: Shock,
        impact model: ImpactModel
    ) -> (price: Double, rounds: Int, joined: Int, underwaterSize: Double, badDebt: Double) {
        let down = shock.direction == .down
        let ladder = down ? longs : shorts
        let m = market.maintenance
        let pRef = market.price
        let p0 = down ? max(0, pRef * (1 - shock.size)) : pRef * (1 + shock.size)
        var price = p0
        var joined = 0
        var rounds = 0
        var badDebt = 0.0
        var underwaterSize = 0.0
        while true {
            let reached = ladder.liquidatable(at: price)
            if reached <= joined { break }
            rounds += 1
            let notional = ladder.size(0..<reached) * pRef
            let impact = model.impact(notional: notional, sigmaDay: market.sigmaDay, liquidity: market.liquidity)
            let fill = down ? max(0, p0 * (1 - impact)) : p0 * (1 + impact)
            let cut = min(reached, max(joined, ladder.underwater(at: fill, maintenance: m)))
            badDebt += ladder.shortfall(joined..<cut, fill: fill)
            underwaterSize += ladder.size(joined..<cut)
            joined = reached
            price = fill
        }
        return (price, rounds, joined, underwaterSize, badDebt)
    }

    /// Notional (at the reference price) liquidatable once the price has moved `move` (fraction)
    /// in `direction`, with no cascade: longs with P_liq >= P_ref (1 - move), shorts with
    /// P_liq <= P_ref (1 + move).
    public func liquidatable(within move: Double, _ direction: ShockDirection) -> Double {
        let ladder = ladder(direction.losingSide)
        let price = direction == .down ? market.price * (1 - move) : market.price * (1 + move)
        return ladder.size(0..<ladder.liquidatable(at: price)) * market.price
    }

    /// The liquidation map: 1 % steps to 30 % each way.
    public func liquidationMap() -> LiquidationMap {
        func steps(_ direction: ShockDirection) -> [LiquidationMap.Step] {
            var previous = liquidatable(within: 0, direction)
            return (1...LiquidationMap.steps).map { k in
                let move = Double(k) / 100
                let cumulative = liquidatable(within: move, direction)
                defer { previous = cumulative }
                return LiquidationMap.Step(move: move, notional: cumulative - previous, cumulative: cumulative)
            }
        }
        return LiquidationMap(
            market: market.id,
            referencePrice: market.price,
            longsAtReference: liquidatable(within: 0, .down),
            shortsAtReference: liquidatable(within: 0, .up),
            down: steps(.down),
            up: steps(.up)
        )
    }

    /// The smallest shock in [0, 1) in `direction` whose bad debt exceeds `fund`, by bisection
    /// to `tolerance`; nil when even a 100 % move leaves it within the fund.
    public func depletionShock(
        _ direction: ShockDirection,
        impact model: ImpactModel,
        fund: Double,
        tolerance: Double = 1e-6
    ) -> Double? {
        ShockSearch.smallest(tolerance: tolerance) { s in
            badDebt(Shock(direction, s), impact: model) > fund
        }
    }
}
