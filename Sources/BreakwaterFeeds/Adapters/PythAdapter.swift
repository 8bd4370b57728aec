import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire
import Foundation

/// Pyth Hermes: `GET /v2/updates/price/latest?ids[]=<id>&ids[]=<id>&parsed=true` ->
/// `{"parsed":[{"id":"ff61..","price":{"price":"184136023127","conf":"177166324","expo":-8,"publish_time":1692110601}}]}`.
/// value = price x 10^expo, conf likewise; `publish_time` is epoch seconds. Many ids share one request.
enum PythAdapter: FeedAdapter {
    static let defaultBase = "https://hermes.pyth.network"
    static let venue = "Pyth"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        [request(base: s.base(defaultBase), ids: [try s.requireSymbol()])]
    }

    /// One request for several feed ids (`ids[]` percent-encoded as `ids%5B%5D`).
    static func request(base: String, ids: [String]) -> FeedRequest {
        let query = ids.map { "ids%5B%5D=\(urlEncode(normalize($0)))" }.joined(separator: "&")
        return .get("\(base)/v2/updates/price/latest?\(query)&parsed=true")
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let id = try source.requireSymbol()
        let all = try decodeBatch(Adapters.body(bodies, 0, venue: venue), ids: [id])
        return try all[normalize(id)]!.get()
    }

    /// Feed id without `0x`, lower case: the form Hermes returns.
    static func normalize(_ id: String) -> String {
        let lower = id.lowercased()
        return lower.hasPrefix("0x") ? String(lower.dropFirst(2)) : lower
    }

    /// Decodes one response for several ids. Keys of the result are normalized ids; a malformed
    /// body fails every id, a missing or malformed entry fails only its id.
    static func decodeBatch(_ bytes: [UInt8], ids: [String]) throws -> [String: Result<FeedQuote, FeedError>] {
        let root = try JSONReading.object(JSONReading.parse(bytes, venue: venue), "body", venue: venue)
        let parsed = try JSONReading.array(root["parsed"], "parsed", venue: venue)
        var entries: [String: JSONValue] = [:]
        for e in parsed {
            if case let .object(o) = e, case let .string(id)? = o["id"] { entries[normalize(id)] = e }
        }
        var out: [String: Result<FeedQuote, FeedError>] = [:]
        for raw in ids {
            let id = normalize(raw)
            guard let entry = entries[id] else {
                out[id] = .failure(.badBody("\(venue): feed 0x\(id.prefix(8))… not in the response"))
                continue
            }
            out[id] = Result { try quote(entry, id: id) }.mapError { $0 as? FeedError ?? .badBody("\(venue): \($0)") }
        }
        return out
    }

    static func quote(_ entry: JSONValue, id: String) throws -> FeedQuote {
        let path = "parsed[0x\(id.prefix(8))…].price"
        let o = try JSONReading.object(entry, "parsed[]", venue: venue)
        let p = try JSONReading.object(o["price"], path, venue: venue)
        let mantissa = try JSONReading.number(p["price"], "\(path).price", venue: venue)
        let conf = try JSONReading.number(p["conf"], "\(path).conf", venue: venue)
        let expo = try JSONReading.number(p["expo"], "\(path).expo", venue: venue)
        guard expo == expo.rounded(), abs(expo) <= 30 else {
            throw FeedError.badBody("\(venue): \(path).expo \(expo) is not a plausible exponent")
        }
        let scale = pow(10.0, expo)
        let time = try JSONReading.timestamp(p["publish_time"], "\(path).publish_time", venue: venue)
        return FeedQuote(
            price: try JSONReading.checkPrice(mantissa * scale, "\(path) (price x 10^expo)", venue: venue),
            confidence: try JSONReading.confidence(conf * scale, "\(path).conf", venue: venue),
            time: time
        )
    }
}
