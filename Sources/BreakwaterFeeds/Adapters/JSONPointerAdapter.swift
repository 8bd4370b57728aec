import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire
import Foundation

/// Any JSON endpoint: `GET url`, RFC 6901 pointers to the price and, optionally, a timestamp
/// (epoch seconds, epoch ms above 1e11, or ISO 8601) and a confidence (price units).
enum JSONPointerAdapter: FeedAdapter {
    static let venue = "JSON source"

    static func requests(for s: FeedSource) throws -> [FeedRequest] {
        guard let url = s.url ?? s.baseURL else { throw FeedError.config("source \(s.id) (json) has no url") }
        return [.get(url)]
    }

    static func decode(_ bodies: [[UInt8]], source: FeedSource, now: EpochSeconds) throws -> FeedQuote {
        let root = try JSONReading.parse(Adapters.body(bodies, 0, venue: venue), venue: venue)
        guard let pricePointer = source.pricePointer else {
            throw FeedError.config("source \(source.id) (json) has no pricePointer")
        }
        let price = try JSONReading.price(resolve(pricePointer, in: root), pricePointer, venue: venue)
        let time = try source.timestampPointer.map {
            try JSONReading.timestamp(resolve($0, in: root), $0, venue: venue)
        }
        let conf = try source.confidencePointer.map {
            try JSONReading.confidence(JSONReading.number(resolve($0, in: root), $0, venue: venue), $0, venue: venue)
        }
        return FeedQuote(price: price, confidence: conf, time: time)
    }

    /// RFC 6901: `""` is the whole document, `/a/0/b~1c` walks keys and array indices (`~1` = `/`, `~0` = `~`).
    static func resolve(_ pointer: String, in root: JSONValue) throws -> JSONValue {
        if pointer.isEmpty { return root }
        guard pointer.hasPrefix("/") else { throw FeedError.config("\"\(pointer)\" is not a JSON pointer") }
        var node = root
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case let .object(o):
                guard let next = o[token] else {
                    throw FeedError.badBody("\(venue): \(pointer): key \"\(token)\" not found")
                }
                node = next
            case let .array(a):
                guard let i = Int(token), i >= 0, i < a.count, token == String(i) else {
                    throw FeedError.badBody("\(venue): \(pointer): index \"\(token)\" not in an array of \(a.count)")
                }
                node = a[i]
            default:
                throw FeedError.badBody("\(venue): \(pointer): cannot descend into \(node.typeName) at \"\(token)\"")
            }
        }
        return node
    }
}
