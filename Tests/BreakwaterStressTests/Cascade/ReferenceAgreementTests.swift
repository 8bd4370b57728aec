import BreakwaterTestSupport
import BreakwaterWire
import Foundation
import Testing

@testable import BreakwaterStress

/// The sorted-ladder engine against an independent Python reference (plain loops over every
/// position each round, no sorting) on 10,000 random books: cascades each way under both
/// impact models, the liquidation map, and on 300 of them the depletion shocks.
struct ReferenceAgreementTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Reference/cascade_reference.py").path

    struct RandomBook {
        var book: MarketStressBook
        var fund: Double
        var shock: Double
        var depletion: Bool

        /// The reference's input for this book.
        var json: String {
            let m = book.market
            let positions = book.positions.map { "[\"\($0.side.rawValue)\",\($0.size),\($0.entry),\($0.collateral)]" }
            return """
                {"price":\(m.price),"m":\(m.maintenance),"sigmaDay":\(m.sigmaDay),\
                "adv":\(m.liquidity.dailyVolume),"y":\(m.liquidity.impactY),"d1":\(m.liquidity.depth1Pct),\
                "fund":\(fund),"shock":\(shock),"depletion":\(depletion),\
                "positions":[\(positions.joined(separator: ","))]}
                """
        }
    }

    static func randomBook(_ rng: inout SeededRandom, index: Int) -> RandomBook {
        let price = rng.decades(-1, 4)
        let count = Int.random(in: 1...40, using: &rng)
        var total = 0.0
        let positions = (0..<count).map { _ in
            let size = rng.decades(-2, 3)
            let entry = price * rng.uniform(0.8, 1.2)
            // Leverage 0.5x (more collateral than notional) to 100x.
            let leverage = rng.decades(-0.3, 2)
            total += size * price
            return Position(
                side: Bool.random(using: &rng) ? .long : .short,
                size: size,
                entry: entry,
                collateral: size * entry / leverage
            )
        }
        let market = StressMarket(
            id: "R\(index)",
            price: price,
            maintenance: rng.uniform(0.002, 0.05),
            sigmaDay: rng.uniform(0.01, 0.1),
            liquidity: MarketLiquidity(
                dailyVolume: total * rng.decades(0, 3),
                depth1Pct: total * rng.decades(-2, 1),
                impactY: rng.uniform(0.3, 1)
            ),
            dayMove999: 0.1
        )
        return RandomBook(
            book: MarketStressBook(market: market, positions: positions),
            fund: total * rng.uniform(0, 0.02),
            shock: rng.uniform(0, 0.3),
            depletion: index < 300
        )
    }

    static func close(_ a: Double, _ b: Double, scale: Double) -> Bool {
        abs(a - b) <= 1e-9 * max(abs(a), abs(b), scale)
    }

    @Test func agreesWithThePythonReferenceOn10000RandomBooks() async throws {
        var rng = SeededRandom(seed: 21)
        let books = (0..<10_000).map { Self.randomBook(&rng, index: $0) }
        let input = "[" + books.map(\.json).joined(separator: ",\n") + "]"
        let run = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", Self.script],
            input: .text(input)
        )
        try #require(run.status == 0, Comment(rawValue: "reference failed: " + run.errors))
        guard case let .array(results) = try JSONValue.parse(Data(run.output.utf8)) else {
            Issue.record("reference printed no array")
            return
        }
        try #require(results.count == books.count)
        var compared = (cascades: 0, withBadDebt: 0, multiRound: 0, depletions: 0)
        for (b, result) in zip(books, results) {
            let expected = try Reference(result)
            let notionalScale = b.book.positions.reduce(0) { $0 + $1.size } * b.book.market.price
            let runs = [
                (ShockDirection.down, ImpactModel.squareRoot), (.down, .linear), (.up, .squareRoot), (.up, .linear),
            ]
            for ((direction, model), want) in zip(runs, expected.cascades) {
                let c = b.book.cascade(Shock(direction, b.shock), impact: model)
                let what = "\(b.book.market.id) \(direction) \(model)"
                #expect(Self.close(c.finalPrice, want[0], scale: b.book.market.price), "\(what) price")
                #expect(c.rounds == Int(want[1]), "\(what) rounds")
                #expect(c.liquidatedPositions == Int(want[2]), "\(what) liquidated")
                #expect(Self.close(c.liquidatedNotional, want[3], scale: notionalScale), "\(what) notional")
                #expect(
                    Self.close(c.badDebt, want[4], scale: notionalScale),
                    "\(what) bad debt \(c.badDebt) vs \(want[4])"
                )
                compared.cascades += 1
                if want[4] > 0 { compared.withBadDebt += 1 }
                if want[1] > 1 { compared.multiRound += 1 }
            }
            let map = b.book.liquidationMap()
            for (step, want) in zip(map.down + map.up, expected.mapDown + expected.mapUp) {
                #expect(Self.close(step.cumulative, want, scale: notionalScale), "\(b.book.market.id) map \(step.move)")
            }
            if let depletion = expected.depletion {
                let ours = runs.map { b.book.depletionShock($0.0, impact: $0.1, fund: b.fund) }
                for (mine, theirs) in zip(ours, depletion) {
                    switch (mine, theirs) {
                    case let (x?, y?): #expect(abs(x - y) <= 2e-6, "\(b.book.market.id) depletion \(x) vs \(y)")
                    case (nil, nil): break
                    default:
                        Issue.record(
                            Comment(rawValue: "\(b.book.market.id) depletion \(mine ?? -1) vs \(theirs ?? -1)")
                        )
                    }
                    if theirs != nil { compared.depletions += 1 }
                }
            }
        }
        // The random books must exercise what they check: bad debt, several rounds, depletion.
        #expect(compared.cascades == 40_000)
        #expect(compared.withBadDebt > 2_000)
        #expect(compared.multiRound > 1_000)
        #expect(compared.depletions > 200)
    }

    /// One book's answer from the reference.
    struct Reference {
        var cascades: [[Double]]
        var mapDown: [Double]
        var mapUp: [Double]
        var depletion: [Double?]?

        init(_ value: JSONValue) throws {
            guard case let .object(o) = value else { throw ReferenceError() }
            func numbers(_ v: JSONValue?) throws -> [Double] {
                guard case let .array(items)? = v else { throw ReferenceError() }
                return try items.map {
                    guard case let .number(d) = $0 else { throw ReferenceError() }
                    return d
                }
            }
            guard case let .array(cascades)? = o["cascades"] else { throw ReferenceError() }
            self.cascades = try cascades.map { try numbers($0) }
            mapDown = try numbers(o["mapDown"])
            mapUp = try numbers(o["mapUp"])
            switch o["depletion"] {
            case .array(let items)?:
                depletion = items.map {
                    if case let .number(d) = $0 { d } else { nil }
                }
            default: depletion = nil
            }
        }
    }

    struct ReferenceError: Error {}
}
