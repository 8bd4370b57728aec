import BreakwaterConfig
import Foundation
import Testing

@testable import BreakwaterFeeds

/// The text of fixture `name`, a real response kept beside the calling test file.
func fixture(_ name: String, beside file: String = #filePath) throws -> String {
    try String(
        contentsOf: URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(name),
        encoding: .utf8
    )
}

/// Decodes `bodies` with the adapter of `kind`; `now` defaults to a fixed epoch second.
func decode(
    _ kind: SourceKind,
    _ bodies: [String],
    symbol: String? = "BTC-USD",
    now: Double = 1_750_000_000,
    configure: (inout FeedSource) -> Void = { _ in }
) throws -> FeedQuote {
    var source = FeedSource(market: "BTC-USD", id: kind.rawValue, kind: kind, symbol: symbol)
    configure(&source)
    return try Adapters.adapter(for: kind)!.decode(bodies.map { Array($0.utf8) }, source: source, now: now)
}

/// The FeedError that decoding throws, or nil (and a recorded issue) if it did not throw one.
func decodeError(
    _ kind: SourceKind,
    _ bodies: [String],
    symbol: String? = "BTC-USD",
    now: Double = 1_750_000_000,
    configure: (inout FeedSource) -> Void = { _ in },
    sourceLocation: SourceLocation = #_sourceLocation
) -> FeedError? {
    do {
        let q = try decode(kind, bodies, symbol: symbol, now: now, configure: configure)
        Issue.record("expected an error, got \(q)", sourceLocation: sourceLocation)
        return nil
    } catch let e as FeedError {
        return e
    } catch {
        Issue.record("expected a FeedError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Bodies every adapter must turn into a `badBody` error, never a price.
let junkBodies: [(String, String)] = [
    ("empty", ""),
    ("whitespace", "  \n"),
    ("HTML", "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"),
    ("truncated", #"{"data":{"amount":"6421"#),
    ("not JSON", "Service Unavailable"),
    ("wrong shape", #"[1,2,3]"#),
    ("null", "null"),
]
