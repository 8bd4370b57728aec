import Foundation
import Testing

@testable import BreakwaterEngine

/// Pyth's own 39 aggregation vectors (pyth-client test_data/aggregation), run against
/// `Aggregation.pyth` directly: vectors 2 and 3 hold non-positive prices that the engine
/// rejects at ingestion, but the function aggregates them as Pyth does.
struct PythVectorTests {
    struct Vector: Decodable {
        struct Q: Decodable {
            var price: Int64
            var conf: UInt64
            var status: Int
            var slot_diff: Int?
        }
        var exponent: Int
        var quotes: [Q]
    }

    struct Expected: Decodable {
        var price: Int64
        var conf: UInt64
        var status: String
    }

    /// Tests/BreakwaterEngineTests/Fixtures/pyth-aggregation (this file is in Aggregation/).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pyth-aggregation")

    @Test("Pyth vector", arguments: 1...39)
    func vector(_ n: Int) throws {
        let v = try JSONDecoder().decode(
            Vector.self,
            from: Data(contentsOf: Self.directory.appendingPathComponent("\(n).json"))
        )
        let e = try JSONDecoder().decode(
            Expected.self,
            from: Data(contentsOf: Self.directory.appendingPathComponent("\(n).result"))
        )
        // Pyth ignores quotes not trading and quotes published more than 25 slots before the
        // aggregation slot (aggregate at 1001, publish slot = 1000 + slot_diff).
        let valid = v.quotes.filter { q in q.status == 1 && 1001 - (1000 + (q.slot_diff ?? 0)) <= 25 }
        let result = Aggregation.pyth(
            prices: valid.map { Double($0.price) },
            confidences: valid.map { Double($0.conf) }
        )
        if e.status == "unknown" {
            #expect(result == nil, "vector \(n) should have no aggregate")
            return
        }
        let r = try #require(result, "vector \(n) should aggregate")
        // Pyth computes in integers (floor on the even-n mean); allow one unit of rounding.
        #expect(abs(r.price - Double(e.price)) <= 1, "vector \(n) price \(r.price) expected \(e.price)")
        #expect(abs(r.confidence - Double(e.conf)) <= 1, "vector \(n) conf \(r.confidence) expected \(e.conf)")
    }

    @Test func domainVectors() throws {
        let cases: [([(Double, Double)], Double, Double)] = [
            ([(10000, 1000), (15000, 1000), (20000, 1000)], 15000, 4000),
            ([(100000, 10), (100000, 10), (1_000_000, 10)], 100010, 899980),
            ([(10000, 10), (10020, 10), (11000, 10), (11020, 10)], 10510, 500),
        ]
        for (quotes, price, conf) in cases {
            let r = try #require(Aggregation.pyth(prices: quotes.map(\.0), confidences: quotes.map(\.1)))
            #expect(r.price == price)
            #expect(r.confidence == conf)
        }
    }

    @Test func nonPositiveConfidenceIsInvalid() {
        #expect(Aggregation.pyth(prices: [100, 101], confidences: [0, -1]) == nil)
    }

    @Test func medianEvenAndOdd() {
        #expect(Aggregation.median([3, 1, 2]) == 2)
        #expect(Aggregation.median([4, 1, 3, 2]) == 2.5)
        #expect(Aggregation.median([]) == nil)
    }
}
