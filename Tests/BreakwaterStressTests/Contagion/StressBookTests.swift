import Testing

@testable import BreakwaterStress

struct StressBookTests {
    static func vectorBook(_ id: String) -> MarketStressBook {
        var market = VectorBook.market
        market.id = id
        return MarketStressBook(market: market, positions: VectorBook.positions)
    }

    @Test func withoutBetasEachOriginBreaksAlone() throws {
        let book = StressBook(books: [Self.vectorBook("A"), Self.vectorBook("B")], insuranceFund: VectorBook.fund)
        let ranking = book.criticalMarkets(betas: .none, impact: .squareRoot)
        #expect(ranking.map(\.origin) == ["A", "B"])
        let a = try #require(ranking.first?.shock)
        #expect(abs(a - 0.044432) < 0.000005)
        #expect(ranking.first?.direction == .down)
        #expect(abs((ranking.first?.ratio ?? 0) - a / VectorBook.market.dayMove999) < 1e-12)
    }

    @Test func aBetaOfOneDoublesTheBadDebtAgainstTheOneFund() throws {
        var betas = BetaMatrix()
        betas.set(1, of: "B", to: "A")
        let book = StressBook(books: [Self.vectorBook("A"), Self.vectorBook("B")], insuranceFund: VectorBook.fund)
        let ranking = book.criticalMarkets(betas: betas, impact: .squareRoot)
        // A's move carries fully to B: two equal books break the $2M fund where one breaks $1M.
        #expect(ranking.map(\.origin) == ["A", "B"])
        let alone = try #require(VectorBook.book.depletionShock(.down, impact: .squareRoot, fund: 1e6))
        #expect(abs((ranking[0].shock ?? 1) - alone) <= 1e-6)
        #expect(abs((ranking[1].shock ?? 0) - 0.044432) < 0.000005)
        let result = book.evaluate(
            .contagion(from: "A", Shock(.down, 0.05), markets: book.marketIDs, betas: betas, impact: .squareRoot)
        )
        #expect(result.cascades.count == 2)
        #expect(abs(result.badDebt - 2 * 3.045e6) < 1e3)
    }

    @Test func aNegativeBetaTurnsTheMoveAround() {
        var betas = BetaMatrix()
        betas.set(-0.5, of: "B", to: "A")
        let scenario = Scenario.contagion(
            from: "A",
            Shock(.down, 0.1),
            markets: ["A", "B", "C"],
            betas: betas,
            impact: .linear
        )
        #expect(scenario.shocks == ["A": Shock(.down, 0.1), "B": Shock(.up, 0.05)])
    }

    @Test func theShortfallGoesToTheADLQueueInBitMEXOrder() throws {
        var positions = VectorBook.positions
        // Shorts that profit from the fall: s2 entered highest, s1 at 100, s3 at 95 (ranked last).
        positions.append(Position(side: .short, size: 400_000, entry: 105, collateral: 4_000_000, account: "s2"))
        positions.append(Position(side: .short, size: 100_000, entry: 100, collateral: 1_000_000, account: "s1"))
        positions.append(Position(side: .short, size: 100_000, entry: 95, collateral: 950_000, account: "s3"))
        positions.append(Position(side: .short, size: 100_000, entry: 100, collateral: 1_000_000))
        let book = StressBook(
            books: [MarketStressBook(market: VectorBook.market, positions: positions)],
            insuranceFund: VectorBook.fund
        )
        let result = book.evaluate(Scenario(shocks: ["VEC-USD": Shock(.down, 0.05)], impact: .squareRoot))
        // Bad debt $3.045M against $2M: $1.045M short; both liquidated longs filled underwater,
        // so the shorts must close $150M x 1.045 / 3.045 = $51.48M.
        #expect(abs(result.shortfall - 1.045e6) < 1e3)
        #expect(result.adlNeed.longs == 0 && result.adlNeed.longsNotional == 0)
        let notional = 150e6 * result.shortfall / result.badDebt
        #expect(abs(result.adlNeed.shortsNotional - notional) < 1e-3)
        // s2 gives all its $40M, s1 all its $10M, s3 the rest; the bucket without an account is
        // not ranked.
        #expect(result.adlQueue.map(\.account) == ["s2", "s1", "s3"])
        #expect(result.adlQueue[0].notional == 40e6 && result.adlQueue[1].notional == 10e6)
        #expect(abs(result.adlQueue[2].notional - (notional - 50e6)) < 1e-3)
        #expect(
            result.adlQueue[0].score > result.adlQueue[1].score && result.adlQueue[1].score > result.adlQueue[2].score
        )
        // BitMEX score of s2 at the final price: PnL% x mark / (bankruptcy - mark).
        let mark = result.cascades[0].finalPrice
        let s2 = (105 - mark) / 105 * mark / (115 - mark)
        #expect(abs(result.adlQueue[0].score - s2) < 1e-12)
    }

    @Test func noShortfallNoQueue() {
        let book = StressBook(books: [VectorBook.book], insuranceFund: 1e9)
        let result = book.evaluate(Scenario(shocks: ["VEC-USD": Shock(.down, 0.12)], impact: .linear))
        #expect(result.shortfall == 0 && result.adlQueue.isEmpty && result.adlNeed == .zero)
        #expect(abs(result.badDebt - 82.6e6) < 1e3)
    }

    @Test func aLosingPositionScoresBelowAWinningOne() throws {
        let winner = Position(side: .long, size: 1, entry: 90, collateral: 9)
        let loser = Position(side: .long, size: 1, entry: 110, collateral: 50)
        let w = try #require(ADLQueueEntry.score(of: winner, at: 100))
        let l = try #require(ADLQueueEntry.score(of: loser, at: 100))
        // Winner: PnL 11.1 %, leverage 100 / (100 - 81) = 5.26 -> 0.585; loser: -9.1 % / (100 / 40).
        #expect(abs(w - (10.0 / 90) * (100.0 / 19)) < 1e-12)
        #expect(abs(l - (-10.0 / 110) / (100.0 / 40)) < 1e-12)
        #expect(ADLQueueEntry.score(of: loser, at: 59) == nil)
    }
}
