import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BreakwaterVenues

/// Each fault mode answers as described on `VenueMode`, and every answer says it is simulated.
struct VenueResponsesTests {
    func answer(
        _ venue: Venue,
        _ mode: VenueMode,
        uri: String
    ) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        let state = VenueState(clock: { 1_750_000_000 })
        await state.setPrice(64_000, venue: venue, symbol: venue == .kraken ? "XBTUSD" : "BTC-USD")
        await state.setMode(mode, venue: venue)
        return try await Application(router: VenueRoutes.router(state)).test(.router) { client in
            try await client.execute(uri: uri, method: .get, headers: [.userAgent: "venues-test"]) {
                ($0.status, $0.headers, String(buffer: $0.body))
            }
        }
    }

    static let coinbase = "/v2/prices/BTC-USD/spot"

    @Test func faultModesAnswerAsDescribed() async throws {
        let html = try await answer(.coinbase, .htmlError(status: 502), uri: Self.coinbase)
        #expect(html.0.code == 502 && html.1[.contentType]?.hasPrefix("text/html") == true && html.2.contains("<html"))
        let limited = try await answer(.coinbase, .rateLimited(retryAfterSeconds: 7), uri: Self.coinbase)
        #expect(limited.0 == .tooManyRequests && limited.1[.retryAfter] == "7")
        #expect(try await answer(.coinbase, .serverError, uri: Self.coinbase).0 == .internalServerError)
        let empty = try await answer(.coinbase, .emptyBody, uri: Self.coinbase)
        #expect(empty.0 == .ok && empty.2.isEmpty)
        let normal = try await answer(.coinbase, .normal, uri: Self.coinbase).2
        let truncated = try await answer(.coinbase, .truncatedJSON, uri: Self.coinbase).2
        #expect(truncated.count == normal.count / 2 && normal.hasPrefix(truncated), "\(truncated) of \(normal)")
        #expect(try await answer(.coinbase, .oversizeBody(bytes: 100_000), uri: Self.coinbase).2.utf8.count > 100_000)
        let bad = try await answer(.coinbase, .badPrice(-5), uri: Self.coinbase).2
        #expect(bad.contains(#""amount":"-5""#), "\(bad)")
        for mode in [VenueMode.htmlError(status: 502), .serverError, .emptyBody, .geoBlocked, .venueError] {
            #expect(
                try await answer(.coinbase, mode, uri: Self.coinbase).1[VenueResponses.simulated] == "true",
                "\(mode)"
            )
        }
    }

    @Test func geoBlocksAreTheVenuesOwn() async throws {
        let binance = try await answer(.binance, .geoBlocked, uri: "/api/v3/ticker/price?symbol=BTC-USD")
        #expect(binance.0.code == 451 && binance.2.contains("restricted location"))
        let kraken = try await answer(.kraken, .geoBlocked, uri: "/0/public/Ticker?pair=XBTUSD")
        #expect(kraken.0 == .forbidden && kraken.1[.contentType] == "text/html")
    }

    /// The venue's own error envelope, with HTTP 200, for every venue.
    @Test func venueErrorsUseEachVenuesEnvelope() {
        let expected: [Venue: String] = [
            .coinbase: #""errors""#, .coinbaseExchange: #""message""#, .kraken: #""error":["#,
            .binance: #""code":-1003"#, .bitstamp: #""status":"error""#, .okx: #""code":"50011""#,
            .bybit: #""retCode":10006"#, .pyth: #""parsed":[]"#, .chainlink: #""error":{"code":-32000"#,
            .json: #""error""#,
        ]
        for venue in Venue.allCases {
            #expect(VenueResponses.venueError(venue).contains(expected[venue] ?? "?"), "\(venue)")
        }
    }
}
