import Testing

@testable import BreakwaterStress

struct StressPassTests {
    @Test func aFullPassHasEveryShockEachWayUnderBothModels() throws {
        let book = StressBook(books: [VectorBook.book], insuranceFund: VectorBook.fund)
        let report = StressPass.run(book, asOf: 1_796_580_000, betas: .none)
        let m = try #require(report.markets.first)
        #expect(m.cascades.count == 3 * 2 * 2)
        #expect(m.longNotional == 500e6 && m.shortNotional == 0 && m.positions == 4)
        let tenDownLinear = try #require(m.cascades.first { $0.shock == Shock(.down, 0.1) && $0.impact == .linear })
        #expect(tenDownLinear == VectorBook.book.cascade(Shock(.down, 0.1), impact: .linear))
        #expect(m.depletion.count == 4)
        let sqrt = try #require(m.depletion.first { $0.direction == .down && $0.impact == .squareRoot }?.shock)
        #expect(abs(sqrt - 0.044432) < 0.000005)
        #expect(m.depletion.first { $0.direction == .up && $0.impact == .linear }?.shock == nil)
        #expect(report.critical.map { $0.map(\.impact) } == [[.squareRoot], [.linear]])
        #expect(abs((report.critical[1][0].shock ?? 1) - 0.020745) < 0.000005)
        #expect(!report.betasGiven)
        #expect(m.map == VectorBook.book.liquidationMap())
    }

    @Test func marketsWithoutADescriptionAreLeftOutAndNamed() {
        let snapshot = PositionSnapshot(
            asOf: 0,
            insuranceFund: 1,
            markets: [
                MarketBook(market: "VEC-USD", positions: VectorBook.positions),
                MarketBook(market: "NEW-USD", positions: VectorBook.positions),
            ]
        )
        let (book, leftOut) = StressBook.build(snapshot: snapshot, markets: [VectorBook.market])
        #expect(leftOut == ["NEW-USD"])
        #expect(book.marketIDs == ["VEC-USD"])
        #expect(book.book("VEC-USD")?.positions.count == 4)
    }
}
