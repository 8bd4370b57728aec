import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire
import Foundation

/// Chainlink aggregator through any EVM JSON-RPC node: `eth_call` of `latestRoundData()` (0xfeaf968c)
/// then `decimals()` (0x313ce567) on `address`, POSTed to `rpcURL` (or `baseURL`).
/// Checks answer > 0, updatedAt != 0 and now - updatedAt <= `heartbeatSeconds`. Time = updatedAt.
enum ChainlinkAdapter: FeedAdapter {
    static let venue = "Chainlink"
    static let latestRoundData = "0xfeaf968c"
    static let decimals = "0x313ce567"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        guard let url = s.rpcURL ?? s.baseURL else {
            throw FeedError.config(
                "source \(s.id) (chainlink) has no rpcURL (is the variable its rpcURLEnv names set?)"
            )
        }
        guard let to = s.address else { throw FeedError.config("source \(s.id) (chainlink) has no address") }
        return [
            .post(url, json: call(to: to, data: latestRoundData, id: 1)),
            .post(url, json: call(to: to, data: decimals, id: 2)),
        ]
    }

    static func call(to: String, data: String, id: Int) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"eth_call","params":[{"to":"\#(to)","data":"\#(data)"},"latest"]}"#
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let round = try words(result(Adapters.body(bodies, 0, venue: venue)), "latestRoundData")
        let dec = try words(result(Adapters.body(bodies, 1, venue: venue)), "decimals")
        guard round.count >= 5 else {
            throw FeedError.badBody("\(venue): latestRoundData returned \(round.count) words, expected 5")
        }
        guard let decimals = Int(dec[0].suffix(4), radix: 16), dec[0].dropLast(4).allSatisfy({ $0 == "0" }),
            decimals <= 36
        else {
            throw FeedError.badBody("\(venue): decimals() is not a small integer")
        }
        if round[0].allSatisfy({ $0 == "0" }) {
            throw FeedError.badBody("\(venue): latestRoundData has round id 0 (no round yet)")
        }
        let answerWord = round[1]
        if let top = answerWord.first.flatMap({ Int(String($0), radix: 16) }), top >= 8 {
            throw FeedError.badPrice("\(venue): answer is negative")
        }
        let answer = hexToDouble(answerWord)
        if answer == 0 { throw FeedError.badPrice("\(venue): answer is zero") }
        let updatedAt = hexToDouble(round[3])
        if updatedAt == 0 { throw FeedError(.stale, "\(venue): round not complete (updatedAt = 0)") }
        if let hb = source.heartbeatSeconds, now - updatedAt > hb {
            throw FeedError(
                .stale,
                "\(venue): last update \(Int(now - updatedAt)) s ago, beyond the \(Int(hb)) s heartbeat"
            )
        }
        let price = try JSONReading.checkPrice(
            answer / pow(10.0, Double(decimals)),
            "answer / 10^decimals",
            venue: venue
        )
        return FeedQuote(price: price, time: updatedAt)
    }

    /// The `result` hex string of a JSON-RPC response; a JSON-RPC `error` is a venue error.
    static func result(_ bytes: [UInt8]) throws -> String {
        let o = try JSONReading.object(JSONReading.parse(bytes, venue: venue), "body", venue: venue)
        if case let .object(err)? = o["error"] {
            let msg = err["message"].map { if case let .string(s) = $0 { s } else { $0.typeName } } ?? "unspecified"
            throw FeedError.venue("\(venue) JSON-RPC error: \(JSONReading.venueText(msg))")
        }
        return try JSONReading.string(o["result"], "result", venue: venue)
    }

    /// Splits `0x` + hex into 32-byte words (64 hex digits each).
    static func words(_ hex: String, _ what: String) throws -> [Substring] {
        guard hex.hasPrefix("0x") else { throw FeedError.badBody("\(venue): \(what) result is not 0x-hex") }
        let body = hex.dropFirst(2)
        guard !body.isEmpty, body.count % 64 == 0, body.allSatisfy(\.isHexDigit) else {
            throw FeedError.badBody(
                "\(venue): \(what) result is not a whole number of 32-byte words (\(body.count) hex digits)"
            )
        }
        var out: [Substring] = []
        var i = body.startIndex
        while i < body.endIndex {
            let j = body.index(i, offsetBy: 64)
            out.append(body[i..<j])
            i = j
        }
        return out
    }

    static func hexToDouble(_ s: Substring) -> Double {
        s.reduce(0.0) { $0 * 16 + Double(Int(String($1), radix: 16) ?? 0) }
    }
}
