import Testing

@testable import BreakwaterStress

/// Every row of the vector table of domain-systemic.md section 3, and its depletion shocks.
struct CascadeVectorTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var shock: Double
        var model: ImpactModel
        var finalPrice: Double
        var rounds: Int
        var liquidated: Int
        var notional: Double
        var badDebt: Double
        var adlNeed: Double
        var testDescription: String { "\(shock) \(model.rawValue)" }
    }

    static let table: [Row] = [
        Row(
            shock: 0.02,
            model: .squareRoot,
            finalPrice: 97.3864,
            rounds: 1,
            liquidated: 1,
            notional: 50e6,
            badDebt: 0.307e6,
            adlNeed: 0
        ),
        Row(
            shock: 0.02,
            model: .linear,
            finalPrice: 95.5500,
            rounds: 1,
            liquidated: 1,
            notional: 50e6,
            badDebt: 1.225e6,
            adlNeed: 0
        ),
        Row(
            shock: 0.05,
            model: .squareRoot,
            finalPrice: 93.9698,
            rounds: 1,
            liquidated: 2,
            notional: 150e6,
            badDebt: 3.045e6,
            adlNeed: 1.045e6
        ),
        Row(
            shock: 0.05,
            model: .linear,
            finalPrice: 80.7500,
            rounds: 2,
            liquidated: 3,
            notional: 300e6,
            badDebt: 26.062e6,
            adlNeed: 24.062e6
        ),
        Row(
            shock: 0.08,
            model: .squareRoot,
            finalPrice: 91.0023,
            rounds: 1,
            liquidated: 2,
            notional: 150e6,
            badDebt: 7.497e6,
            adlNeed: 5.497e6
        ),
        Row(
            shock: 0.08,
            model: .linear,
            finalPrice: 69.0000,
            rounds: 3,
            liquidated: 4,
            notional: 500e6,
            badDebt: 56.050e6,
            adlNeed: 54.050e6
        ),
        Row(
            shock: 0.12,
            model: .squareRoot,
            finalPrice: 86.6504,
            rounds: 1,
            liquidated: 3,
            notional: 300e6,
            badDebt: 19.049e6,
            adlNeed: 17.049e6
        ),
        Row(
            shock: 0.12,
            model: .linear,
            finalPrice: 66.0000,
            rounds: 2,
            liquidated: 4,
            notional: 500e6,
            badDebt: 82.600e6,
            adlNeed: 80.600e6
        ),
    ]

    /// Half a unit of the table's last digit ($0.001M), with room for rounding in the sums.
    static let halfUnit = 500.000_001

    @Test(arguments: table) func row(_ row: Row) {
        let c = VectorBook.book.cascade(Shock(.down, row.shock), impact: row.model)
        #expect(abs(c.finalPrice - row.finalPrice) < 0.00005)
        #expect(c.rounds == row.rounds)
        #expect(c.liquidatedPositions == row.liquidated)
        #expect(abs(c.liquidatedNotional - row.notional) < 1)
        // The table shows $M to three decimals: within half a unit of the last digit.
        #expect(abs(c.badDebt - row.badDebt) <= Self.halfUnit)
        let result = StressBook(books: [VectorBook.book], insuranceFund: VectorBook.fund)
            .evaluate(Scenario(shocks: ["VEC-USD": Shock(.down, row.shock)], impact: row.model))
        #expect(abs(result.shortfall - row.adlNeed) <= Self.halfUnit)
        // Liquidated longs leave the shortfall to the shorts (there are none to close here).
        #expect(abs(result.adlNeed.shorts - row.adlNeed) <= Self.halfUnit)
        #expect(result.adlNeed.longs == 0)
    }

    @Test func depletionShocks() throws {
        let sqrt = try #require(VectorBook.book.depletionShock(.down, impact: .squareRoot, fund: VectorBook.fund))
        let linear = try #require(VectorBook.book.depletionShock(.down, impact: .linear, fund: VectorBook.fund))
        // The table's figures are bisection ends to 1e-6, rounded to 4 decimals of a percent.
        #expect(abs(sqrt - 0.044432) < 1.5e-6)
        #expect(abs(linear - 0.020745) < 1.5e-6)
        // Bisected to 1e-12, against the Python reference bisected 60 times: 4.443071 %, 2.074475 %.
        let fine = VectorBook.book.depletionShock(.down, impact: .squareRoot, fund: VectorBook.fund, tolerance: 1e-12)
        #expect(abs((fine ?? 0) - 0.04443070926300047) < 2e-12)
        let fineLinear = VectorBook.book.depletionShock(.down, impact: .linear, fund: VectorBook.fund, tolerance: 1e-12)
        #expect(abs((fineLinear ?? 0) - 0.0207447493879655) < 2e-12)
        // Just past the answer the fund is empty, just before it is not.
        #expect(VectorBook.book.cascade(Shock(.down, sqrt), impact: .squareRoot).badDebt > VectorBook.fund)
        #expect(VectorBook.book.cascade(Shock(.down, sqrt - 2e-6), impact: .squareRoot).badDebt <= VectorBook.fund)
        // A book of longs only never breaks on the way up.
        #expect(VectorBook.book.depletionShock(.up, impact: .linear, fund: VectorBook.fund) == nil)
    }

    @Test func upShocksLiquidateShortsRoundByRound() {
        let shorts = VectorBook.positions.map {
            Position(side: .short, size: $0.size, entry: $0.entry, collateral: $0.collateral)
        }
        let book = MarketStressBook(market: VectorBook.market, positions: shorts)
        let c = book.cascade(Shock(.up, 0.02), impact: .linear)
        // P_liq of the 50x, 20x, 10x, 5x shorts: 101.49, 104.48, 109.45, 119.40. P0 = 102:
        // round 1 the 50x (V $50M, fill 102 x 1.025 = 104.55), round 2 the 20x (V $150M,
        // fill 109.65), round 3 the 10x (V $300M, fill 117.30); the 5x is not reached.
        #expect(c.rounds == 3 && c.liquidatedPositions == 3)
        #expect(abs(c.finalPrice - 117.3) < 1e-9)
        #expect(abs(c.liquidatedNotional - 300e6) < 1e-6)
        // Bankruptcy 102, 105, 110: 500k x 2.55 + 1M x 4.65 + 1.5M x 7.30 = $16.875M.
        #expect(abs(c.badDebt - 16.875e6) < 1e-3)
        #expect(book.cascade(Shock(.down, 0.5), impact: .linear).liquidatedPositions == 0)
    }

    @Test func liquidationMapOfTheVectorBook() {
        let map = VectorBook.book.liquidationMap()
        // P_liq of 50x, 20x, 10x, 5x: 98.49, 95.48, 90.45, 80.40: steps 2, 5, 10, 20 % down.
        #expect(map.down.count == 30 && map.up.count == 30)
        #expect(map.down[1].notional == 50e6)
        #expect(map.down[4].notional == 100e6)
        #expect(map.down[9].notional == 150e6)
        #expect(map.down[19].notional == 200e6)
        #expect(map.down[29].cumulative == 500e6)
        #expect(map.down[8].cumulative == 150e6)
        #expect(map.longsAtReference == 0)
        #expect(map.up.allSatisfy { $0.cumulative == 0 })
        #expect(abs(map.down[2].move - 0.03) < 1e-15)
    }
}
