import BreakwaterConfig
import BreakwaterEngine
@testable import BreakwaterFeeds
import BreakwaterWire
import Testing

@Suite("Adapters decode real-format bodies")
struct AdapterDecodingTests {
    @Test func coinbase() throws {
        let q = try decode(.coinbase, [#"{"data":{"amount":"1020.25","currency":"USD"}}"#])
        #expect(q == FeedQuote(price: 1020.25))
        #expect(decodeError(.coinbase, [#"{"errors":[{"id":"not_found","message":"Invalid currency"}]}"#])?.kind == .venueError)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"0","currency":"USD"}}"#])?.kind == .badPrice)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"-3","currency":"USD"}}"#])?.kind == .badPrice)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"NaN","currency":"USD"}}"#])?.kind == .badPrice)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"1e15","currency":"USD"}}"#])?.kind == .badPrice)
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"abc","currency":"USD"}}"#])?.kind == .badBody)
        #expect(decodeError(.coinbase, [#"{"data":{"currency":"USD"}}"#])?.message.contains("data.amount is missing") == true)
    }

    @Test func coinbaseExchange() throws {
        let body = #"{"ask":"63212.98","bid":"63212.97","volume":"4916.9","trade_id":1040406588,"price":"63212.97","size":"0.0078","time":"2026-06-19T16:43:33.016274911Z"}"#
        let q = try decode(.coinbaseExchange, [body])
        #expect(q.price == 63212.97 && q.bid == 63212.97 && q.ask == 63212.98)
        let t = try #require(q.time)
        #expect(abs(t - 1_781_887_413.016274911) < 1e-5)
        #expect(decodeError(.coinbaseExchange, [#"{"message":"NotFound"}"#])?.kind == .venueError)
        #expect(decodeError(.coinbaseExchange, [body.replacingOccurrences(of: "2026-06-19T", with: "yesterday ")])?.kind == .badBody)
    }

    @Test func kraken() throws {
        let body = #"{"error":[],"result":{"XXBTZUSD":{"a":["64587.50000","2","2.000"],"b":["64587.40000","11","11.000"],"c":["64587.40000","0.01026127"],"v":["1","2"]}}}"#
        let q = try decode(.kraken, [body], symbol: "XBTUSD")
        #expect(q == FeedQuote(price: 64587.4, bid: 64587.4, ask: 64587.5))
        let e = decodeError(.kraken, [#"{"error":["EQuery:Unknown asset pair"],"result":{}}"#], symbol: "XBTUSD")
        #expect(e?.kind == .venueError && e?.message.contains("EQuery:Unknown asset pair") == true)
        #expect(decodeError(.kraken, [#"{"error":[],"result":{}}"#])?.kind == .badBody)
        #expect(decodeError(.kraken, [#"{"error":[],"result":{"A":{"c":["1"],"a":["1"],"b":["1"]},"B":{}}}"#])?.kind == .badBody)
        #expect(decodeError(.kraken, [#"{"result":{}}"#])?.kind == .badBody)
    }

    @Test func binance() throws {
        let price = #"{"symbol":"BTCUSDT","price":"64000.01000000"}"#
        let book = #"{"symbol":"BTCUSDT","bidPrice":"64000.00","bidQty":"1.5","askPrice":"64000.02","askQty":"2"}"#
        let q = try decode(.binance, [price, book], symbol: "BTCUSDT")
        #expect(q == FeedQuote(price: 64000.01, bid: 64000.0, ask: 64000.02))
        #expect(decodeError(.binance, [#"{"code":-1121,"msg":"Invalid symbol."}"#, book])?.kind == .venueError)
        #expect(decodeError(.binance, [price])?.kind == .badBody)
        #expect(decodeError(.binance, [price, "<html></html>"])?.message.contains("HTML") == true)
    }

    @Test func bitstamp() throws {
        let body = #"{"timestamp":"1643640186","open":"1","high":"2","low":"1","last":"37000.5","volume":"10","vwap":"1","bid":"37000.1","ask":"37001.0","side":"0"}"#
        let q = try decode(.bitstamp, [body], symbol: "btcusd")
        #expect(q == FeedQuote(price: 37000.5, bid: 37000.1, ask: 37001.0, time: 1_643_640_186))
        #expect(decodeError(.bitstamp, [#"{"status":"error","reason":"Invalid pair"}"#])?.kind == .venueError)
    }

    @Test func okx() throws {
        let body = #"{"code":"0","msg":"","data":[{"instId":"BTC-USDT","last":"64000.5","askPx":"64000.6","bidPx":"64000.4","ts":"1750000000123"}]}"#
        let q = try decode(.okx, [body], symbol: "BTC-USDT")
        #expect(q == FeedQuote(price: 64000.5, bid: 64000.4, ask: 64000.6, time: 1_750_000_000.123))
        let e = decodeError(.okx, [#"{"code":"51001","msg":"Instrument ID does not exist","data":[]}"#])
        #expect(e?.kind == .venueError && e?.message.contains("51001") == true)
        #expect(decodeError(.okx, [#"{"code":"0","msg":"","data":[]}"#])?.kind == .badBody)
        #expect(decodeError(.okx, [#"{"code":0,"data":[]}"#])?.kind == .badBody)
    }

    @Test func bybit() throws {
        let body = #"{"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{"symbol":"BTCUSDT","bid1Price":"63999","ask1Price":"64001","lastPrice":"64000"}]},"time":1750000000500}"#
        let q = try decode(.bybit, [body], symbol: "BTCUSDT")
        #expect(q == FeedQuote(price: 64000, bid: 63999, ask: 64001, time: 1_750_000_000.5))
        let e = decodeError(.bybit, [#"{"retCode":10001,"retMsg":"Not supported symbols","result":{},"time":1}"#])
        #expect(e?.kind == .venueError && e?.message.contains("10001") == true)
        #expect(decodeError(.bybit, [#"{"retCode":0,"retMsg":"OK","result":{"list":[]},"time":1}"#])?.kind == .badBody)
    }

    static let ethID = "0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace"

    @Test func pyth() throws {
        let body = #"{"parsed":[{"id":"ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace","price":{"price":"184136023127","conf":"177166324","expo":-8,"publish_time":1692110601},"ema_price":{"price":"1","conf":"1","expo":-8,"publish_time":1}}]}"#
        let q = try decode(.pyth, [body], symbol: Self.ethID)
        #expect(abs(q.price - 1841.36023127) < 1e-9)
        #expect(abs(try #require(q.confidence) - 1.77166324) < 1e-9)
        #expect(q.time == 1_692_110_601)
        // Id matching ignores case and the 0x prefix.
        #expect(try decode(.pyth, [body], symbol: Self.ethID.uppercased().replacingOccurrences(of: "0X", with: "")).price == q.price)
        #expect(decodeError(.pyth, [#"{"parsed":[]}"#], symbol: Self.ethID)?.message.contains("not in the response") == true)
        let negative = body.replacingOccurrences(of: #""price":"184136023127""#, with: #""price":"-184136023127""#)
        #expect(decodeError(.pyth, [negative], symbol: Self.ethID)?.kind == .badPrice)
        let badExpo = body.replacingOccurrences(of: #""expo":-8,"publish_time":1692110601"#, with: #""expo":-800,"publish_time":1692110601"#)
        #expect(decodeError(.pyth, [badExpo], symbol: Self.ethID)?.kind == .badBody)
    }

    @Test func pythBatchFailsOnlyTheMissingId() throws {
        let body = #"{"parsed":[{"id":"aa","price":{"price":"100","conf":"1","expo":0,"publish_time":5}}]}"#
        let r = try PythAdapter.decodeBatch(Array(body.utf8), ids: ["0xAA", "0xbb"])
        #expect(try r["aa"]?.get() == FeedQuote(price: 100, confidence: 1, time: 5))
        #expect(throws: FeedError.self) { try r["bb"]?.get() }
    }

    /// A body that is not quite JSON says what is wrong with it, and where.
    @Test func malformedJSONIsNamedPrecisely() {
        let cases: [(String, String)] = [
            (#"{"data":{"amount":1e400,"base":"BTC","currency":"USD"}}"#, "number \"1e400\" is too large"),
            (#"{"data":{"amount":"1","amount":"2","base":"BTC","currency":"USD"}}"#, "duplicate key \"amount\""),
            (#"{"data":{"amount":"6421"#, "truncated JSON"),
            (#"{"data":{"amount":"6421",}}"#, "malformed JSON"),
        ]
        for (body, expected) in cases {
            let e = decodeError(.coinbase, [body])
            #expect(e?.kind == .badBody)
            #expect(e?.message.contains(expected) == true, "\(body): \(String(describing: e?.message))")
        }
    }

    @Test func everyAdapterRejectsJunkBodies() {
        for kind in SourceKind.allCases where kind != .push {
            for (name, junk) in junkBodies {
                let e = decodeError(kind, [junk, junk], configure: {
                    $0.pricePointer = "/data/price"; $0.heartbeatSeconds = 3600
                })
                #expect(e?.kind == .badBody, "\(kind.rawValue) with \(name) body: \(String(describing: e))")
            }
            let big = "{\"a\":\"" + String(repeating: "x", count: FeedLimits.maxBodyBytes) + "\"}"
            #expect(decodeError(kind, [big, big], configure: { $0.pricePointer = "/a" })?.message.contains("cap") == true)
        }
    }
}

/// An answer for another instrument than the one asked for is an error, not a price.
@Suite("Answers are for the instrument asked for")
struct InstrumentCheckTests {
    @Test func everyVenueChecksItsSymbol() {
        let binance = decodeError(.binance, [#"{"symbol":"BTCUSDC","price":"60300"}"#,
                                             #"{"symbol":"BTCUSDC","bidPrice":"60299","bidQty":"1","askPrice":"60301","askQty":"1"}"#],
                                  symbol: "BTCUSDT")
        #expect(binance?.kind == .venueError && binance?.message.contains("\"BTCUSDC\"") == true, "\(String(describing: binance))")
        let okx = decodeError(.okx, [#"{"code":"0","msg":"","data":[{"instId":"ETH-USDT","last":"3000","askPx":"3001","bidPx":"2999","ts":"1750000000000"}]}"#],
                              symbol: "BTC-USDT")
        #expect(okx?.kind == .venueError)
        let bybit = decodeError(.bybit, [#"{"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{"symbol":"ETHUSDT","bid1Price":"1","ask1Price":"1","lastPrice":"1"}]},"time":1750000000000}"#],
                                symbol: "BTCUSDT")
        #expect(bybit?.kind == .venueError)
        let coinbase = decodeError(.coinbase, [#"{"data":{"amount":"55000","base":"BTC","currency":"EUR"}}"#], symbol: "BTC-USD")
        #expect(coinbase?.kind == .venueError && coinbase?.message.contains("data.currency") == true)
        let kraken = decodeError(.kraken, [#"{"error":[],"result":{"XETHZUSD":{"a":["1"],"b":["1"],"c":["1"]}}}"#], symbol: "XBTUSD")
        #expect(kraken?.kind == .venueError && kraken?.message.contains("XETHZUSD") == true)
        // The right instrument, in any case, passes.
        #expect((try? decode(.binance, [#"{"symbol":"btcusdt","price":"60300"}"#, #"{"symbol":"BTCUSDT","bidPrice":"60299","askPrice":"60301"}"#],
                            symbol: "BTCUSDT"))?.price == 60300)
    }

    @Test func krakenNamesItsPairsItsOwnWay() {
        for (key, pair) in [("XXBTZUSD", "XBTUSD"), ("XXBTZUSD", "BTCUSD"), ("XETHZUSD", "ETHUSD"), ("USDTZUSD", "USDTUSD"),
                            ("SOLUSD", "SOLUSD"), ("XXBTZEUR", "XBTEUR"), ("XDGUSD", "DOGEUSD"), ("XDGUSD", "XDGUSD")] {
            #expect(InstrumentCheck.krakenMatches(key: key, pair: pair), "\(key) \(pair)")
        }
        for (key, pair) in [("XETHZUSD", "XBTUSD"), ("XXBTZEUR", "XBTUSD"), ("SOLUSD", "SOLEUR"), ("USDTZUSD", "USDCUSD")] {
            #expect(!InstrumentCheck.krakenMatches(key: key, pair: pair), "\(key) \(pair)")
        }
    }

    @Test func hexNumericStringsAreRefused() {
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"0x1p16","currency":"USD"}}"#])?.kind == .badBody)
    }

    @Test func venueTextCannotForgeLogLines() {
        let e = FeedError(.httpStatus, "Coinbase answered HTTP 502: Bad gateway\n2026-12-03T14:00:00+0000 critical breakwater: FAKE\u{1b}[2J\u{0}")
        #expect(!e.message.contains("\n") && !e.message.contains("\u{1b}") && !e.message.contains("\u{0}"))
        #expect(e.message.contains("\\u{a}2026-12-03T14:00:00+0000 critical"))
        #expect(FeedError(.badBody, String(repeating: "x", count: 5000)).message.count == FeedError.maxMessageLength + 1)
        #expect(FeedError(.badBody, String(repeating: "\n", count: 5000)).message.count == FeedError.maxMessageLength + 1)
        #expect(FeedError(.badBody, "a\u{2028}b\u{200F}c").message == "a\\u{2028}b\\u{200f}c")
    }

    @Test func retryAfterOnAnyStatusUpToFiveMinutes() {
        let busy = StatusErrors.error(status: 503, kind: .coinbase, retryAfter: "120", body: [], now: 0)
        #expect(busy.retryAfterSeconds == 120 && busy.message.contains("Retry-After 120 s"))
        let ban = StatusErrors.error(status: 418, kind: .binance, retryAfter: "120", body: [], now: 0)
        #expect(ban.kind == .rateLimited && ban.retryAfterSeconds == 120 && ban.message.contains("418"))
        let absurd = StatusErrors.error(status: 429, kind: .bitstamp, retryAfter: "99999999", body: [], now: 0)
        #expect(absurd.retryAfterSeconds == 300)
        #expect(absurd.message.contains("Retry-After 99999999 s (waiting 300 s, the longest honoured)"), "\(absurd.message)")
        #expect(Backoff().delay(interval: 1, consecutiveFailures: 1, retryAfter: 99_999_999, random: 1) == 300)
        // Outside input never traps: huge numbers, absurd dates.
        for header in ["1e19", "99999999999999999999", "Sun, 06 Nov 999999999999 08:49:37 GMT",
                       "Sun, 06 Nov 2025 9999999999999999:00:00 GMT", "Sun, 99 Nov 2025 08:49:37 GMT", "-5"] {
            let e = StatusErrors.error(status: 503, kind: .coinbase, retryAfter: header, body: [], now: 0)
            #expect(e.retryAfterSeconds == nil, "\(header)")
        }
        #expect(StatusErrors.formatWait(1e19) == "1e+19 s")
    }
}

@Suite("Venue timestamps")
struct VenueTimestampTests {
    /// A zero or negative millisecond timestamp is a malformed answer, not a quietly stale quote.
    @Test func zeroIsNotATime() {
        let okx = decodeError(.okx, [#"{"code":"0","msg":"","data":[{"instId":"BTC-USDT","last":"1","askPx":"1","bidPx":"1","ts":"0"}]}"#],
                              symbol: "BTC-USDT")
        #expect(okx?.kind == .badBody && okx?.message.contains("data[0].ts") == true)
        let bybit = decodeError(.bybit, [#"{"retCode":0,"retMsg":"OK","result":{"list":[{"symbol":"BTCUSDT","bid1Price":"1","ask1Price":"1","lastPrice":"1"}]},"time":-5}"#],
                                symbol: "BTCUSDT")
        #expect(bybit?.kind == .badBody)
        let ok = try? decode(.okx, [#"{"code":"0","msg":"","data":[{"instId":"BTC-USDT","last":"1","askPx":"1","bidPx":"1","ts":"1750000000123"}]}"#],
                             symbol: "BTC-USDT")
        #expect(ok?.time == 1_750_000_000.123)
    }
}
