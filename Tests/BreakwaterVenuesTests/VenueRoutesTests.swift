import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BreakwaterVenues

/// Every venue answers on its real path in its real format, says it is simulated, and answers an
/// unknown symbol the way the venue does.
struct VenueRoutesTests {
    static let now = 1_750_000_000.0

    func state() async -> VenueState {
        let s = VenueState(clock: { Self.now })
        for (venue, symbol) in [
            (Venue.coinbase, "BTC-USD"), (.coinbaseExchange, "BTC-USD"), (.kraken, "XBTUSD"), (.binance, "BTCUSDT"),
            (.bitstamp, "btcusd"), (.okx, "BTC-USDT"), (.bybit, "BTCUSDT"),
            (.pyth, "0xe62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43"), (.json, "BTC"),
        ] {
            await s.setPrice(64_000, venue: venue, symbol: symbol)
        }
        return s
    }

    @Test func eachVenueAnswersItsRealPathInItsRealFormat() async throws {
        let state = await state()
        let app = Application(router: VenueRoutes.router(state))
        try await app.test(.router) { client in
            let cases: [(String, String)] = [
                ("/v2/prices/BTC-USD/spot", #""amount":"64000""#),
                ("/products/BTC-USD/ticker", #""price":"64000""#),
                ("/0/public/Ticker?pair=XBTUSD", #""XXBTZUSD""#),
                ("/api/v3/ticker/price?symbol=BTCUSDT", #""symbol":"BTCUSDT""#),
                ("/api/v3/ticker/bookTicker?symbol=BTCUSDT", #""bidPrice""#),
                ("/api/v2/ticker/btcusd/", #""last":"64000""#),
                ("/api/v5/market/ticker?instId=BTC-USDT", #""instId":"BTC-USDT""#),
                ("/v5/market/tickers?category=spot&symbol=BTCUSDT", #""lastPrice":"64000""#),
                (
                    "/v2/updates/price/latest?ids[]=e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43&parsed=true",
                    #""expo":"#
                ),
                ("/custom/BTC", #""price""#),
            ]
            for (uri, expected) in cases {
                try await client.execute(uri: uri, method: .get, headers: [.userAgent: "venues-test"]) { r in
                    let body = String(buffer: r.body)
                    #expect(r.status == .ok && body.contains(expected), "\(uri): \(r.status) \(body)")
                    #expect(r.headers[VenueResponses.simulated] == "true", "\(uri)")
                }
            }
        }
        #expect(await state.requestCount(.binance) == 2)
        #expect(await state.lastUserAgent(.kraken) == "venues-test")
    }

    @Test func anUnknownSymbolIsAnsweredTheWayTheVenueDoes() async throws {
        let app = Application(router: VenueRoutes.router(await state()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v3/ticker/price?symbol=NOPE", method: .get) { r in
                #expect(r.status == .badRequest && String(buffer: r.body).contains("-1121"))
            }
            try await client.execute(uri: "/0/public/Ticker?pair=NOPE", method: .get) { r in
                #expect(r.status == .ok && String(buffer: r.body).contains("EQuery:Unknown asset pair"))
            }
            try await client.execute(uri: "/v2/prices/NOPE/spot", method: .get) { r in #expect(r.status == .notFound) }
            // Coinbase Exchange refuses a request without a User-Agent, as the real one does.
            try await client.execute(uri: "/products/BTC-USD/ticker", method: .get) { r in
                #expect(r.status == .badRequest && String(buffer: r.body).contains("User-Agent"))
            }
        }
    }

    static let aggregator = "0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419"

    @Test func chainlinkAnswersLatestRoundDataAndDecimals() async throws {
        let state = VenueState(clock: { Self.now })
        await state.setPrice(3_000, venue: .chainlink, symbol: Self.aggregator)
        let app = Application(router: VenueRoutes.router(state))
        try await app.test(.router) { client in
            func call(_ data: String, to: String = Self.aggregator) async throws -> String {
                let body =
                    #"{"jsonrpc":"2.0","id":7,"method":"eth_call","params":[{"to":"\#(to)","data":"\#(data)"},"latest"]}"#
                return try await client.execute(
                    uri: "/rpc",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: body)
                ) { String(buffer: $0.body) }
            }
            let round = try await call("0xfeaf968c")
            #expect(round.contains(#""id":7"#) && round.contains(#""result":"0x"#), "\(round)")
            // Five 32-byte words; the answer (second word) is 3000 with 8 decimals.
            let hex = try #require(round.split(separator: "\"").first { $0.hasPrefix("0x") }).dropFirst(2)
            #expect(hex.count == 5 * 64)
            #expect(Int64(hex.dropFirst(64).prefix(64), radix: 16) == 300_000_000_000)
            #expect(try await call("0x313ce567").contains("0x" + String(repeating: "0", count: 63) + "8"))
            #expect(
                try await call("0xfeaf968c", to: "0x" + String(repeating: "1", count: 40)).contains(
                    "execution reverted"
                )
            )
        }
    }
}
