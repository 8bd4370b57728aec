import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire
import Foundation
import Testing

@testable import BreakwaterFeeds

/// What every adapter shares: precise JSON errors, junk bodies refused (each adapter's own formats: Adapters/<Venue>/).
@Suite("Adapters decode real-format bodies")
struct AdapterDecodingTests {
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
                let e = decodeError(
                    kind,
                    [junk, junk],
                    configure: {
                        $0.pricePointer = "/data/price"
                        $0.heartbeatSeconds = 3600
                    }
                )
                #expect(e?.kind == .badBody, "\(kind.rawValue) with \(name) body: \(String(describing: e))")
            }
            let big = "{\"a\":\"" + String(repeating: "x", count: FeedLimits.maxBodyBytes) + "\"}"
            #expect(
                decodeError(kind, [big, big], configure: { $0.pricePointer = "/a" })?.message.contains("cap") == true
            )
        }
    }
}

/// An answer for another instrument than the one asked for is an error, not a price.
@Suite("Answers are for the instrument asked for")
struct InstrumentCheckTests {
    @Test func everyVenueChecksItsSymbol() {
        let binance = decodeError(
            .binance,
            [
                #"{"symbol":"BTCUSDC","price":"60300"}"#,
                #"{"symbol":"BTCUSDC","bidPrice":"60299","bidQty":"1","askPrice":"60301","askQty":"1"}"#,
            ],
            symbol: "BTCUSDT"
        )
        #expect(
            binance?.kind == .venueError && binance?.message.contains("\"BTCUSDC\"") == true,
            "\(String(describing: binance))"
        )
        let okx = decodeError(
            .okx,
            [
                #"{"code":"0","msg":"","data":[{"instId":"ETH-USDT","last":"3000","askPx":"3001","bidPx":"2999","ts":"1750000000000"}]}"#
            ],
            symbol: "BTC-USDT"
        )
        #expect(okx?.kind == .venueError)
        let bybit = decodeError(
            .bybit,
            [
                #"{"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{"symbol":"ETHUSDT","bid1Price":"1","ask1Price":"1","lastPrice":"1"}]},"time":1750000000000}"#
            ],
            symbol: "BTCUSDT"
        )
        #expect(bybit?.kind == .venueError)
        let coinbase = decodeError(
            .coinbase,
            [#"{"data":{"amount":"55000","base":"BTC","currency":"EUR"}}"#],
            symbol: "BTC-USD"
        )
        #expect(coinbase?.kind == .venueError && coinbase?.message.contains("data.currency") == true)
        let kraken = decodeError(
            .kraken,
            [#"{"error":[],"result":{"XETHZUSD":{"a":["1"],"b":["1"],"c":["1"]}}}"#],
            symbol: "XBTUSD"
        )
        #expect(kraken?.kind == .venueError && kraken?.message.contains("XETHZUSD") == true)
        // The right instrument, in any case, passes.
        #expect(
            (try? decode(
                .binance,
                [
                    #"{"symbol":"btcusdt","price":"60300"}"#,
                    #"{"symbol":"BTCUSDT","bidPrice":"60299","askPrice":"60301"}"#,
                ],
                symbol: "BTCUSDT"
            ))?.price == 60300
        )
    }

    @Test func krakenNamesItsPairsItsOwnWay() {
        for (key, pair) in [
            ("XXBTZUSD", "XBTUSD"), ("XXBTZUSD", "BTCUSD"), ("XETHZUSD", "ETHUSD"), ("USDTZUSD", "USDTUSD"),
            ("SOLUSD", "SOLUSD"), ("XXBTZEUR", "XBTEUR"), ("XDGUSD", "DOGEUSD"), ("XDGUSD", "XDGUSD"),
        ] {
            #expect(InstrumentCheck.krakenMatches(key: key, pair: pair), "\(key) \(pair)")
        }
        for (key, pair) in [
            ("XETHZUSD", "XBTUSD"), ("XXBTZEUR", "XBTUSD"), ("SOLUSD", "SOLEUR"), ("USDTZUSD", "USDCUSD"),
        ] {
            #expect(!InstrumentCheck.krakenMatches(key: key, pair: pair), "\(key) \(pair)")
        }
    }

    @Test func hexNumericStringsAreRefused() {
        #expect(decodeError(.coinbase, [#"{"data":{"amount":"0x1p16","currency":"USD"}}"#])?.kind == .badBody)
    }

    @Test func venueTextCannotForgeLogLines() {
        let e = FeedError(
            .httpStatus,
            "Coinbase answered HTTP 502: Bad gateway\n2026-12-03T14:00:00+0000 critical breakwater: FAKE\u{1b}[2J\u{0}"
        )
        #expect(!e.message.contains("\n") && !e.message.contains("\u{1b}") && !e.message.contains("\u{0}"))
        #expect(e.message.contains("\\u{a}2026-12-03T14:00:00+0000 critical"))
        #expect(
            FeedError(.badBody, String(repeating: "x", count: 5000)).message.count == FeedError.maxMessageLength + 1
        )
        #expect(
            FeedError(.badBody, String(repeating: "\n", count: 5000)).message.count == FeedError.maxMessageLength + 1
        )
        #expect(FeedError(.badBody, "a\u{2028}b\u{200F}c").message == "a\\u{2028}b\\u{200f}c")
    }

    @Test func retryAfterOnAnyStatusUpToFiveMinutes() {
        let busy = StatusErrors.error(status: 503, kind: .coinbase, retryAfter: "120", body: [], now: 0)
        #expect(busy.retryAfterSeconds == 120 && busy.message.contains("Retry-After 120 s"))
        let ban = StatusErrors.error(status: 418, kind: .binance, retryAfter: "120", body: [], now: 0)
        #expect(ban.kind == .rateLimited && ban.retryAfterSeconds == 120 && ban.message.contains("418"))
        let absurd = StatusErrors.error(status: 429, kind: .bitstamp, retryAfter: "99999999", body: [], now: 0)
        #expect(absurd.retryAfterSeconds == 300)
        #expect(
            absurd.message.contains("Retry-After 99999999 s (waiting 300 s, the longest honoured)"),
            "\(absurd.message)"
        )
        #expect(Backoff().delay(interval: 1, consecutiveFailures: 1, retryAfter: 99_999_999, random: 1) == 300)
        // Outside input never traps: huge numbers, absurd dates.
        for header in [
            "1e19", "99999999999999999999", "Sun, 06 Nov 999999999999 08:49:37 GMT",
            "Sun, 06 Nov 2025 9999999999999999:00:00 GMT", "Sun, 99 Nov 2025 08:49:37 GMT", "-5",
        ] {
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
        let okx = decodeError(
            .okx,
            [#"{"code":"0","msg":"","data":[{"instId":"BTC-USDT","last":"1","askPx":"1","bidPx":"1","ts":"0"}]}"#],
            symbol: "BTC-USDT"
        )
        #expect(okx?.kind == .badBody && okx?.message.contains("data[0].ts") == true)
        let bybit = decodeError(
            .bybit,
            [
                #"{"retCode":0,"retMsg":"OK","result":{"list":[{"symbol":"BTCUSDT","bid1Price":"1","ask1Price":"1","lastPrice":"1"}]},"time":-5}"#
            ],
            symbol: "BTCUSDT"
        )
        #expect(bybit?.kind == .badBody)
        let ok = try? decode(
            .okx,
            [
                #"{"code":"0","msg":"","data":[{"instId":"BTC-USDT","last":"1","askPx":"1","bidPx":"1","ts":"1750000000123"}]}"#
            ],
            symbol: "BTC-USDT"
        )
        #expect(ok?.time == 1_750_000_000.123)
    }
}
