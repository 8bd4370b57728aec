/// Every market's stress book and the one insurance fund: scenarios across markets, the
/// critical markets, and auto-deleveraging.
public struct StressBook: Sendable {
    /// One book per market, in the order given.
    public let books: [MarketStressBook]
    /// Insurance fund balance, quote currency.
    public let insuranceFund: Double
    private let index: [String: Int]

    /// Accounts listed per deleveraged market by default.
    public static let defaultADLTop = 10

    public init(books: [MarketStressBook], insuranceFund: Double) {
        self.books = books
        self.insuranceFund = insuranceFund
        index = Dictionary(books.enumerated().map { ($1.market.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Books for the snapshot's markets that `markets` describes (sorted once each). Returns
    /// also the ids of the snapshot's markets that `markets` lacks (no price yet), which are
    /// left out. A market of `markets` without positions gets an empty book.
    public static func build(
        snapshot: PositionSnapshot,
        markets: [StressMarket]
    ) -> (book: StressBook, leftOut: [String]) {
        let positions = Dictionary(snapshot.markets.map { ($0.market, $0.positions) }, uniquingKeysWith: { a, _ in a })
        let described = Set(markets.map(\.id))
        let books = markets.map { MarketStressBook(market: $0, positions: positions[$0.id] ?? []) }
        let leftOut = snapshot.markets.map(\.market).filter { !described.contains($0) }
        return (StressBook(books: books, insuranceFund: snapshot.insuranceFund), leftOut)
    }

    public func book(_ market: String) -> MarketStressBook? { index[market].map { books[$0] } }

    public var marketIDs: [String] { books.map(\.market.id) }

    /// Runs each shocked market's cascade, adds the bad debt against the fund and, beyond it,
    /// works out the ADL need and the first `adlTop` accounts of each deleveraged market.
    public func evaluate(_ scenario: Scenario, adlTop: Int = StressBook.defaultADLTop) -> ScenarioResult {
        var cascades: [CascadeResult] = []
        for b in books {
            guard let shock = scenario.shocks[b.market.id] else { continue }
            cascades.append(b.cascade(shock, impact: scenario.impact))
        }
        let badDebt = cascades.reduce(0) { $0 + $1.badDebt }
        let shortfall = max(0, badDebt - insuranceFund)
        guard shortfall > 0 else {
            return ScenarioResult(
                scenario: scenario,
                cascades: cascades,
                badDebt: badDebt,
                insuranceFund: insuranceFund,
                shortfall: 0,
                adlNeed: .zero,
                adlQueue: []
            )
        }
        let uncovered = shortfall / badDebt
        var need = ADLNeed.zero
        var queue: [ADLQueueEntry] = []
        for c in cascades where c.badDebt > 0 {
            let closeNotional = c.underwaterNotional * uncovered
            if c.shock.direction == .down {
                need.shorts += c.badDebt * uncovered
                need.shortsNotional += closeNotional
            } else {
                need.longs += c.badDebt * uncovered
                need.longsNotional += closeNotional
            }
            if let b = book(c.market) {
                queue += b.adlQueue(
                    deleveraging: c.shock.direction.losingSide == .long ? .short : .long,
                    at: c.finalPrice,
                    notional: closeNotional,
                    top: adlTop
                )
            }
        }
        return ScenarioResult(
            scenario: scenario,
            cascades: cascades,
            badDebt: badDebt,
            insuranceFund: insuranceFund,
            shortfall: shortfall,
            adlNeed: need,
            adlQueue: queue
        )
    }

    /// Total bad debt of a shock in `origin` carried by `betas` (the search's inner loop).
    func contagionBadDebt(
        _ movers: [(book: MarketStressBook, beta: Double)],
        _ shock: Shock,
        _ model: ImpactModel
    ) -> Double {
        var total = 0.0
        for (b, beta) in movers {
            let direction = beta > 0 ? shock.direction : shock.direction.opposite
            total += b.badDebt(Shock(direction, abs(beta) * shock.size), impact: model)
        }
        return total
    }

    /// For each market as the origin, the smallest shock (either direction) whose contagion
    /// empties the fund, ranked from the most critical (smallest shock) down; origins that
    /// no shock below 100 % breaks come last, by id.
    public func criticalMarkets(
        betas: BetaMatrix,
        impact model: ImpactModel,
        tolerance: Double = 1e-6
    ) -> [CriticalMarket] {
        var ranking: [CriticalMarket] = []
        for origin in books {
            let movers = books.compactMap { b -> (book: MarketStressBook, beta: Double)? in
                let beta = betas.beta(of: b.market.id, to: origin.market.id)
                return beta == 0 ? nil : (b, beta)
            }
            var best: (ShockDirection, Double)?
            for direction in ShockDirection.allCases {
                let found = ShockSearch.smallest(tolerance: tolerance) { s in
                    contagionBadDebt(movers, Shock(direction, s), model) > insuranceFund
                }
                if let s = found, best.map({ s < $0.1 }) ?? true { best = (direction, s) }
            }
            ranking.append(
                CriticalMarket(
                    origin: origin.market.id,
                    impact: model,
                    direction: best?.0,
                    shock: best?.1,
                    dayMove999: origin.market.dayMove999
                )
            )
        }
        return ranking.sorted { a, b in
            switch (a.shock, b.shock) {
            case let (x?, y?): x != y ? x < y : a.origin < b.origin
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.origin < b.origin
            }
        }
    }
}
