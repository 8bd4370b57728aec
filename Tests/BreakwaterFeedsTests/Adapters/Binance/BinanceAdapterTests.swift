import BreakwaterConfig
import Testing

@testable import BreakwaterFeeds

/// Binance `GET /api/v3/ticker/price` and `/api/v3/ticker/bookTicker`; fixtures beside this file.
struct BinanceAdapterTests {
    @Test func binance() throws {
        let price = try fixture("ticker-price.json")
        let book = try fixture("book-ticker.json")
        let q = try decode(.binance, [price, book], symbol: "BTCUSDT")
        #expect(q == FeedQuote(price: 64000.01, bid: 64000.0, ask: 64000.02))
        #expect(decodeError(.binance, [try fixture("error-invalid-symbol.json"), book])?.kind == .venueError)
        #expect(decodeError(.binance, [price])?.kind == .badBody)
        #expect(decodeError(.binance, [price, "<html></html>"])?.message.contains("HTML") == true)
    }
}
