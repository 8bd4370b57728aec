@testable import BreakwaterFeeds
import BreakwaterConfig
import Testing

@Suite("Chainlink and JSON-pointer adapters")
struct ChainlinkAndJSONTests {
    static func word(_ v: Int64) -> String {
        let hex = String(UInt64(bitPattern: v), radix: 16)
        return String(repeating: v < 0 ? "f" : "0", count: 64 - hex.count) + hex
    }

    static func round(answer: Int64, updatedAt: Int64) -> String {
        let result = "0x" + word(7) + word(answer) + word(updatedAt) + word(updatedAt) + word(7)
        return #"{"jsonrpc":"2.0","id":1,"result":"\#(result)"}"#
    }

    static let decimals8 = #"{"jsonrpc":"2.0","id":2,"result":"0x\#(word(8))"}"#
    static let now = 1_750_000_000.0

    func chainlink(_ bodies: [String]) -> (inout FeedSource) -> Void {
        { $0.heartbeatSeconds = 3600; $0.address = "0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419" }
    }

    @Test func latestRoundData() throws {
        let q = try decode(.chainlink, [Self.round(answer: 6_400_012_345_678, updatedAt: 1_749_999_000), Self.decimals8],
                           symbol: nil, now: Self.now) { $0.heartbeatSeconds = 3600 }
        #expect(abs(q.price - 64000.12345678) < 1e-6)
        #expect(q.time == 1_749_999_000)
    }

    @Test func chainlinkChecks() {
        let hb: (inout FeedSource) -> Void = { $0.heartbeatSeconds = 3600 }
        #expect(decodeError(.chainlink, [Self.round(answer: -5, updatedAt: 1_749_999_000), Self.decimals8], now: Self.now, configure: hb)?.kind == .badPrice)
        #expect(decodeError(.chainlink, [Self.round(answer: 0, updatedAt: 1_749_999_000), Self.decimals8], now: Self.now, configure: hb)?.kind == .badPrice)
        #expect(decodeError(.chainlink, [Self.round(answer: 100, updatedAt: 0), Self.decimals8], now: Self.now, configure: hb)?.kind == .stale)
        let stale = decodeError(.chainlink, [Self.round(answer: 6_400_000_000_000, updatedAt: 1_749_990_000), Self.decimals8], now: Self.now, configure: hb)
        #expect(stale?.kind == .stale && stale?.message.contains("heartbeat") == true)
        let rpcError = #"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"execution reverted"}}"#
        #expect(decodeError(.chainlink, [rpcError, Self.decimals8], now: Self.now, configure: hb)?.kind == .venueError)
        #expect(decodeError(.chainlink, [#"{"jsonrpc":"2.0","id":1,"result":"0x1234"}"#, Self.decimals8], now: Self.now, configure: hb)?.kind == .badBody)
        let noRound = "0x" + Self.word(0) + Self.word(6_400_000_000_000) + Self.word(1_749_999_000) + Self.word(1_749_999_000) + Self.word(0)
        let roundZero = decodeError(.chainlink, [#"{"jsonrpc":"2.0","id":1,"result":"\#(noRound)"}"#, Self.decimals8], now: Self.now, configure: hb)
        #expect(roundZero?.kind == .badBody && roundZero?.message.contains("round id 0") == true)
    }

    @Test func chainlinkRequests() throws {
        let s = FeedSource(market: "ETH-USD", id: "cl", kind: .chainlink, rpcURL: "http://127.0.0.1:1/rpc",
                           address: "0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419", heartbeatSeconds: 3600)
        let r = try ChainlinkAdapter.requests(for: s)
        #expect(r.count == 2 && r.allSatisfy { $0.method == .post && $0.url == "http://127.0.0.1:1/rpc" })
        #expect(String(decoding: r[0].body ?? [], as: UTF8.self).contains(#""data":"0xfeaf968c""#))
        #expect(String(decoding: r[1].body ?? [], as: UTF8.self).contains(#""data":"0x313ce567""#))
    }

    @Test func jsonPointers() throws {
        let body = #"{"data":{"rates":[{"px":"101.5","t":1750000000123,"c":0.25}],"a/b":{"m~n":7}}}"#
        let q = try decode(.json, [body]) {
            $0.pricePointer = "/data/rates/0/px"; $0.timestampPointer = "/data/rates/0/t"; $0.confidencePointer = "/data/rates/0/c"
        }
        #expect(q == FeedQuote(price: 101.5, confidence: 0.25, time: 1_750_000_000.123))
        #expect(try decode(.json, [body]) { $0.pricePointer = "/data/a~1b/m~0n" }.price == 7)
        #expect(try decode(.json, ["42"]) { $0.pricePointer = "" }.price == 42)
        #expect(decodeError(.json, [body], configure: { $0.pricePointer = "/data/rates/1/px" })?.kind == .badBody)
        #expect(decodeError(.json, [body], configure: { $0.pricePointer = "/data/nope" })?.message.contains("nope") == true)
        #expect(decodeError(.json, [#"{"p":-1}"#], configure: { $0.pricePointer = "/p" })?.kind == .badPrice)
        #expect(decodeError(.json, [#"{"p":1,"c":-1}"#], configure: { $0.pricePointer = "/p"; $0.confidencePointer = "/c" })?.kind == .badPrice)
    }
}
