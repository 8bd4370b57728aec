import BreakwaterConfig
import BreakwaterWire
import Foundation

/// Checks that a venue answered for the instrument asked for: a mirror, a caching proxy or a
/// venue bug that returns another pair (BTCUSDC for BTCUSDT, ETH for BTC) must not put its price
/// into the aggregate, where one inside `maxDeviation` would pass as agreement. A field the
/// answer leaves out is not checked (the venues' documented answers carry it).
enum InstrumentCheck {
    /// Throws a venue error when `value` is a string other than `expected` (ASCII case ignored).
    static func expect(_ value: JSONValue?, _ field: String, equals expected: String, venue: String) throws {
        guard case let .string(got)? = value else { return }
        guard got.uppercased() == expected.uppercased() else {
            throw FeedError.venue(
                "\(venue) answered for \"\(String(got.prefix(40)))\" (\(field)), not \(expected) as asked"
            )
        }
    }

    /// Fiat currencies Kraken writes with a `Z` prefix.
    static let krakenFiats: Set<String> = ["USD", "EUR", "GBP", "JPY", "CAD", "CHF", "AUD"]

    /// Kraken's own name of a pair written as the pair it names: `XXBTZUSD` is `XBTUSD`,
    /// `USDTZUSD` is `USDTUSD`, `SOLUSD` stays.
    static func krakenPair(_ key: String) -> String {
        let k = Array(key.uppercased())
        if k.count == 8, "XZ".contains(k[0]), "XZ".contains(k[4]) { return String(k[1..<4] + k[5..<8]) }
        if k.count > 4, k[k.count - 4] == "Z", krakenFiats.contains(String(k[(k.count - 3)...])) {
            return String(k[..<(k.count - 4)] + k[(k.count - 3)...])
        }
        return String(k)
    }

    /// Whether Kraken's result key answers a request for `pair` (BTC and XBT, DOGE and XDG are
    /// one asset each).
    static func krakenMatches(key: String, pair: String) -> Bool {
        func canonical(_ s: String) -> String {
            s.uppercased().replacingOccurrences(of: "BTC", with: "XBT").replacingOccurrences(of: "DOGE", with: "XDG")
        }
        return key.uppercased() == pair.uppercased() || canonical(krakenPair(key)) == canonical(pair)
    }
}
