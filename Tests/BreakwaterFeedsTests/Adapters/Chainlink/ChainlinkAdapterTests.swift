import BreakwaterConfig
import Foundation
import Testing

@testable import BreakwaterFeeds

/// Chainlink `latestRoundData()` and `decimals()` over JSON-RPC `eth_call`; fixtures beside this file.
struct ChainlinkAdapterTests {
    static func word(_ v: Int64) -> String {
        let hex = String(UInt64(bitPattern: v), radix: 16)
        return String(repeating: v < 0 ? "f" : "0", count: 64 - hex.count) + hex
    }

    /// A `latestRoundData()` answer of round 7 with `answer` (8 decimals) updated at `updatedAt`.
    static func round(answer: Int64, updatedAt: Int64) -> String {
        let result = "0x" + word(7) + word(answer) + word(updatedAt) + word(updatedAt) + word(7)
        return #"{"jsonrpc":"2.0","id":1,"result":"\#(result)"}"#
    }

    static let now = 1_750_000_000.0

    @Test func latestRoundData() throws {
        let q = try decode(
            .chainlink,
            [try fixture("latest-round-data.json"), try fixture("decimals.json")],
            symbol: nil,
            now: Self.now
        ) { $0.heartbeatSeconds = 3600 }
        #expect(abs(q.price - 64000.12345678) < 1e-6)
        #expect(q.time == 1_749_999_000)
        // The fixture is the answer this file's generator makes for the same round.
        #expect(
            try fixture("latest-round-data.json").trimmingCharacters(in: .whitespacesAndNewlines)
                == Self.round(answer: 6_400_012_345_678, updatedAt: 1_749_999_000)
        )
    }

    @Test func chainlinkChecks() throws {
        let decimals8 = try fixture("decimals.json")
        let hb: (inout FeedSource) -> Void = { $0.heartbeatSeconds = 3600 }
        #expect(
            decodeError(
                .chainlink,
                [Self.round(answer: -5, updatedAt: 1_749_999_000), decimals8],
                now: Self.now,
                configure: hb
            )?.kind == .badPrice
        )
        #expect(
            decodeError(
                .chainlink,
                [Self.round(answer: 0, updatedAt: 1_749_999_000), decimals8],
                now: Self.now,
                configure: hb
            )?.kind == .badPrice
        )
        #expect(
            decodeError(.chainlink, [Self.round(answer: 100, updatedAt: 0), decimals8], now: Self.now, configure: hb)?
                .kind == .stale
        )
        let stale = decodeError(
            .chainlink,
            [Self.round(answer: 6_400_000_000_000, updatedAt: 1_749_990_000), decimals8],
            now: Self.now,
            configure: hb
        )
        #expect(stale?.kind == .stale && stale?.message.contains("heartbeat") == true)
        #expect(
            decodeError(.chainlink, [try fixture("error-reverted.json"), decimals8], now: Self.now, configure: hb)?.kind
                == .venueError
        )
        #expect(
            decodeError(
                .chainlink,
                [#"{"jsonrpc":"2.0","id":1,"result":"0x1234"}"#, decimals8],
                now: Self.now,
                configure: hb
            )?.kind == .badBody
        )
        let noRound =
            "0x" + Self.word(0) + Self.word(6_400_000_000_000) + Self.word(1_749_999_000) + Self.word(1_749_999_000)
            + Self.word(0)
        let roundZero = decodeError(
            .chainlink,
            [#"{"jsonrpc":"2.0","id":1,"result":"\#(noRound)"}"#, decimals8],
            now: Self.now,
            configure: hb
        )
        #expect(roundZero?.kind == .badBody && roundZero?.message.contains("round id 0") == true)
    }

    @Test func chainlinkRequests() throws {
        let s = FeedSource(
            market: "ETH-USD",
            id: "cl",
            kind: .chainlink,
            rpcURL: "http://127.0.0.1:1/rpc",
            address: "0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419",
            heartbeatSeconds: 3600
        )
        let r = try ChainlinkAdapter.requests(for: s)
        #expect(r.count == 2 && r.allSatisfy { $0.method == .post && $0.url == "http://127.0.0.1:1/rpc" })
        #expect(String(decoding: r[0].body ?? [], as: UTF8.self).contains(#""data":"0xfeaf968c""#))
        #expect(String(decoding: r[1].body ?? [], as: UTF8.self).contains(#""data":"0x313ce567""#))
    }
}
