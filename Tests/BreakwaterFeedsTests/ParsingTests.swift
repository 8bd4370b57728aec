import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire
import Testing

@testable import BreakwaterFeeds

@Suite("Status errors, backoff, URLs")
struct ParsingTests {
    @Test func statusErrors() {
        let html = Array("<html><head><title>502 Bad Gateway</title></head></html>".utf8)
        let e502 = StatusErrors.error(status: 502, kind: .kraken, retryAfter: nil, body: html, now: 0)
        #expect(
            e502.kind == .httpStatus && e502.status == 502 && e502.message.contains("HTML")
                && e502.message.contains("502 Bad Gateway")
        )
        let e429 = StatusErrors.error(status: 429, kind: .pyth, retryAfter: "7", body: [], now: 0)
        #expect(e429.kind == .rateLimited && e429.retryAfterSeconds == 7)
        let binance = StatusErrors.error(status: 451, kind: .binance, retryAfter: nil, body: [], now: 0)
        #expect(
            binance.kind == .geoBlocked && binance.message.contains("Binance") && binance.message.contains("geo-block")
        )
        let bybit = StatusErrors.error(status: 403, kind: .bybit, retryAfter: nil, body: [], now: 0)
        #expect(bybit.kind == .geoBlocked && bybit.message.contains("Bybit") && bybit.message.contains("403"))
        #expect(StatusErrors.error(status: 403, kind: .okx, retryAfter: nil, body: [], now: 0).kind == .httpStatus)
    }

    @Test func backoff() {
        let b = Backoff(capSeconds: 60)
        #expect(b.delay(interval: 2, consecutiveFailures: 0, retryAfter: nil) == 2)
        #expect(b.delay(interval: 2, consecutiveFailures: 1, retryAfter: nil, random: 1) == 4)
        #expect(b.delay(interval: 2, consecutiveFailures: 3, retryAfter: nil, random: 1) == 16)
        #expect(b.delay(interval: 2, consecutiveFailures: 20, retryAfter: nil, random: 1) == 60)
        #expect(b.delay(interval: 2, consecutiveFailures: 20, retryAfter: nil, random: 0.5) == 30)
        #expect(b.delay(interval: 2, consecutiveFailures: 1, retryAfter: nil, random: 0.5) == 2)
        #expect(b.delay(interval: 2, consecutiveFailures: 1, retryAfter: 90, random: 1) == 90)
        for _ in 0..<100 {
            let d = b.delay(interval: 1, consecutiveFailures: 4, retryAfter: nil)
            #expect(d >= 8 && d <= 16)
        }
    }

    @Test func requestURLs() throws {
        func url(_ kind: SourceKind, _ symbol: String, base: String? = nil) throws -> [String] {
            try Adapters.adapter(for: kind)!.requests(
                for: FeedSource(market: "m", id: "s", kind: kind, symbol: symbol, baseURL: base)
            ).map(\.url)
        }
        #expect(try url(.coinbase, "BTC-USD") == ["https://api.coinbase.com/v2/prices/BTC-USD/spot"])
        #expect(
            try url(.coinbaseExchange, "BTC-USD", base: "http://127.0.0.1:9/") == [
                "http://127.0.0.1:9/products/BTC-USD/ticker"
            ]
        )
        #expect(try url(.kraken, "XBTUSD") == ["https://api.kraken.com/0/public/Ticker?pair=XBTUSD"])
        #expect(
            try url(.binance, "BTCUSDT") == [
                "https://api.binance.com/api/v3/ticker/price?symbol=BTCUSDT",
                "https://api.binance.com/api/v3/ticker/bookTicker?symbol=BTCUSDT",
            ]
        )
        #expect(try url(.bitstamp, "BTCUSD") == ["https://www.bitstamp.net/api/v2/ticker/btcusd/"])
        #expect(try url(.okx, "BTC-USDT") == ["https://www.okx.com/api/v5/market/ticker?instId=BTC-USDT"])
        #expect(try url(.bybit, "BTCUSDT") == ["https://api.bybit.com/v5/market/tickers?category=spot&symbol=BTCUSDT"])
        #expect(
            try url(.pyth, "0xABcd") == [
                "https://hermes.pyth.network/v2/updates/price/latest?ids%5B%5D=abcd&parsed=true"
            ]
        )
        #expect(try url(.coinbase, "BTC/USD") == ["https://api.coinbase.com/v2/prices/BTC%2FUSD/spot"])
        #expect(throws: FeedError.self) {
            try Adapters.adapter(for: .kraken)!.requests(for: FeedSource(market: "m", id: "s", kind: .kraken))
        }
    }

    @Test func pythBatchPlan() {
        let ids = ["0x" + String(repeating: "a", count: 64), "0x" + String(repeating: "b", count: 64)]
        let sources = [
            FeedSource(market: "BTC-USD", id: "pyth", kind: .pyth, symbol: ids[0], intervalSeconds: 2),
            FeedSource(
                market: "ETH-USD",
                id: "pyth",
                kind: .pyth,
                symbol: ids[1],
                intervalSeconds: 1,
                timeoutSeconds: 7
            ),
            FeedSource(market: "ETH-USD", id: "own", kind: .pyth, symbol: ids[1], baseURL: "http://127.0.0.1:1"),
            FeedSource(market: "ETH-USD", id: "push", kind: .push),
            FeedSource(market: "ETH-USD", id: "cb", kind: .coinbase, symbol: "ETH-USD"),
        ]
        let units = PollUnit.plan(sources: sources)
        #expect(units.count == 3)
        #expect(units[0].members.count == 2 && units[0].intervalSeconds == 1 && units[0].timeoutSeconds == 7)
        #expect(units[1].batchBase == "http://127.0.0.1:1")
        #expect(units[2].kind == .coinbase)
    }
}
