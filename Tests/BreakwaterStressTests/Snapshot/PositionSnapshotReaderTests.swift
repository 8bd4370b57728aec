import BreakwaterWire
import Foundation
import Testing

@testable import BreakwaterStress

struct PositionSnapshotReaderTests {
    static let known: Set<String> = ["BTC-USD", "ETH-USD"]

    static func read(_ text: String) throws -> PositionSnapshotReading {
        var bytes = Array(text.utf8)
        let result = bytes.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(PositionSnapshotError) -> PositionSnapshotReading in
                try PositionSnapshotReader.read(UnsafeBufferPointer(buffer), knownMarkets: known)
            }
        }
        return try result.get()
    }

    @Test func readsAGoodSnapshot() throws {
        let r = try Self.read(
            """
            {"asOf": "2026-12-06T18:00:00Z", "insuranceFund": {"balance": 2000000},
             "markets": [{"market": "BTC-USD", "mark": 100000,
                          "liquidity": {"dailyVolume": 1e9, "depth1Pct": 2e7, "impactY": 0.7},
                          "positions": [{"side": "long", "size": 1.5, "entry": 98000, "collateral": 14700, "account": "a1"},
                                        {"side": "short", "size": "2", "entry": "101000.5", "collateral": 0}]}]}
            """
        )
        #expect(r.refusals.isEmpty)
        #expect(r.snapshot.asOf == 1_796_580_000)
        #expect(r.snapshot.insuranceFund == 2_000_000)
        let book = try #require(r.snapshot.markets.first)
        #expect(book.market == "BTC-USD" && book.mark == 100_000)
        #expect(book.liquidity == MarketLiquidity(dailyVolume: 1e9, depth1Pct: 2e7, impactY: 0.7))
        #expect(
            book.positions == [
                Position(side: .long, size: 1.5, entry: 98_000, collateral: 14_700, account: "a1"),
                Position(side: .short, size: 2, entry: 101_000.5, collateral: 0),
            ]
        )
    }

    @Test func refusesEachBadItemByIndexAndKeepsTheRest() throws {
        let r = try Self.read(
            """
            {"asOf": 1796580000, "insuranceFund": {"balance": 0}, "markets": [
              {"market": "BTC-USD", "positions": [
                {"side": "long", "size": 1, "entry": 100, "collateral": 10},
                {"side": "long", "size": 0, "entry": 100, "collateral": 10},
                {"side": "long", "size": -1, "entry": 100, "collateral": 10},
                {"side": "short", "size": 1, "entry": 0, "collateral": 10},
                {"side": "short", "size": 1, "entry": 100, "collateral": -0.5},
                {"side": "sideways", "size": 1, "entry": 100, "collateral": 10},
                {"side": "long", "size": "NaN", "entry": 100, "collateral": 10},
                {"side": "long", "size": 1, "entry": "Infinity", "collateral": 10},
                {"side": "long", "size": 1, "entry": 100},
                {"side": "long", "size": 1, "entry": 100, "collateral": 10, "leverage": 5},
                "long 1 @ 100",
                {"side": "short", "size": 2, "entry": 100, "collateral": 10}
              ]},
              {"market": "DOGE-USD", "positions": [{"side": "long", "size": 1, "entry": 1, "collateral": 1}]},
              {"market": "BTC-USD", "positions": []},
              {"market": "ETH-USD", "positions": [{"side": "long", "size": 1, "entry": 1, "collateral": 1}],
               "liquidity": {"dailyVolume": 0, "depth1Pct": 1, "impactY": 1}},
              {"market": "ETH-USD", "positions": [{"side": "long", "size": 3, "entry": 1, "collateral": 1}]}
            ]}
            """
        )
        #expect(r.snapshot.markets.map(\.market) == ["BTC-USD", "ETH-USD"])
        #expect(r.snapshot.markets[0].positions.map(\.size) == [1, 2])
        #expect(r.snapshot.markets[1].positions.map(\.size) == [3])
        let reasons = Dictionary(uniqueKeysWithValues: r.refusals.map { ($0.path, $0.reason) })
        #expect(reasons["markets[0].positions[1]"] == "size: must be > 0")
        #expect(reasons["markets[0].positions[2]"] == "size: must be > 0")
        #expect(reasons["markets[0].positions[3]"] == "entry: must be > 0")
        #expect(reasons["markets[0].positions[4]"] == "collateral: must be >= 0")
        #expect(reasons["markets[0].positions[5]"] == "side: \"sideways\" is not long or short")
        #expect(reasons["markets[0].positions[6]"] == "size: \"NaN\" is not finite")
        #expect(reasons["markets[0].positions[7]"] == "entry: \"Infinity\" is not finite")
        #expect(reasons["markets[0].positions[8]"] == "collateral: missing (expected a number)")
        #expect(reasons["markets[0].positions[9]"] == "leverage: unknown field")
        #expect(reasons["markets[0].positions[10]"]?.hasPrefix("expected an object") == true)
        #expect(reasons["markets[1]"] == "market \"DOGE-USD\" is not configured")
        #expect(reasons["markets[2]"] == "market \"BTC-USD\" is given twice (first at markets[0])")
        #expect(reasons["markets[3]"] == "liquidity.dailyVolume: must be > 0")
        #expect(r.refusals.count == 13)
        let refusal = try #require(r.refusals.first { $0.path == "markets[0].positions[6]" })
        #expect(refusal.market == 0 && refusal.position == 6)
        #expect(r.refusals.first { $0.path == "markets[1]" }?.position == nil)
    }

    @Test func refusesABadFrameWithItsPath() {
        let cases: [(String, String)] = [
            ("[]", ""),
            ("{\"asOf\": 1, \"insuranceFund\": {\"balance\": 1}}", "markets"),
            ("{\"asOf\": \"yesterday\", \"insuranceFund\": {\"balance\": 1}, \"markets\": []}", "asOf"),
            ("{\"asOf\": 1, \"insuranceFund\": {\"balance\": -1}, \"markets\": []}", "insuranceFund.balance"),
            ("{\"asOf\": 1, \"insuranceFund\": 5, \"markets\": []}", "insuranceFund"),
            ("{\"asOf\": 1, \"insuranceFund\": {\"balance\": 1}, \"markets\": [], \"extra\": 1}", "extra"),
            (
                "{\"asOf\": 1, \"insuranceFund\": {\"balance\": 1}, \"markets\": [{\"market\": \"BTC-USD\", \"positions\": [{\"size\": 1e400}]}]}",
                "markets[0].positions[0].size"
            ),
        ]
        for (text, path) in cases {
            #expect(throws: PositionSnapshotError.self, "\(text)") { try Self.read(text) }
            do {
                _ = try Self.read(text)
            } catch let error as PositionSnapshotError {
                #expect(error.path == path, "\(text): \(error)")
            } catch {
                Issue.record(error)
            }
        }
    }

    @Test func readsAMillionPositions() throws {
        // 1,000 distinct positions (k = i % 1000), repeated: building the text stays cheap.
        let distinct = (0..<1000).map { k in
            "{\"side\":\"\(k % 2 == 0 ? "long" : "short")\",\"size\":\(k % 97 + 1),\"entry\":\(100 + k % 13),\"collateral\":\(k % 50)}"
        }
        let list = (0..<500_000).map { distinct[$0 % 1000] }.joined(separator: ",")
        let text =
            "{\"asOf\": 1796580000, \"insuranceFund\": {\"balance\": 5e6}, \"markets\": ["
            + "{\"market\": \"BTC-USD\", \"positions\": [\(list)]}, {\"market\": \"ETH-USD\", \"positions\": [\(list)]}]}"
        let r = try Self.read(text)
        #expect(r.refusals.isEmpty)
        #expect(r.snapshot.positionCount == 1_000_000)
        // Position 999 of ETH-USD: size 999 % 97 + 1, entry 100 + 999 % 13, collateral 999 % 50.
        #expect(r.snapshot.markets[1].positions[999] == Position(side: .short, size: 30, entry: 111, collateral: 49))
    }
}
