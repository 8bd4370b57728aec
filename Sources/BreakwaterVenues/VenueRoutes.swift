import Foundation
import Hummingbird

/// The real paths of each venue, answered from `VenueState`.
enum VenueRoutes {
    static func router(_ state: VenueState) -> Router<BasicRequestContext> {
        let router = Router()
        @Sendable func serve(
            _ venue: Venue,
            _ request: Request,
            _ symbol: String?,
            render: @escaping @Sendable (VenueTick) -> String
        ) async throws -> Response {
            await state.record(venue, userAgent: request.headers[.userAgent])
            var value: VenueTick?
            if let symbol { value = await state.tick(venue, symbol) }
            let tick = value
            return try await VenueResponses.answer(venue, mode: await state.mode(venue)) { tick.map(render) }
        }
        router.get("/v2/prices/:symbol/spot") { req, ctx in
            let s = ctx.parameters.get("symbol") ?? ""
            return try await serve(.coinbase, req, s) { VenueFormats.coinbase(s, $0) }
        }
        router.get("/products/:symbol/ticker") { req, ctx in
            guard req.headers[.userAgent] != nil else {
                await state.record(.coinbaseExchange, userAgent: nil)
                return VenueResponses.json(#"{"message":"User-Agent header is required."}"#, status: 400)
            }
            return try await serve(.coinbaseExchange, req, ctx.parameters.get("symbol")) {
                VenueFormats.coinbaseExchange($0)
            }
        }
        router.get("/0/public/Ticker") { req, _ in
            let pair = req.uri.queryParameters["pair"].map(String.init) ?? ""
            return try await serve(.kraken, req, pair) { VenueFormats.kraken(pair, $0) }
        }
        router.get("/api/v3/ticker/price") { req, _ in
            let s = req.uri.queryParameters["symbol"].map(String.init) ?? ""
            return try await serve(.binance, req, s) { VenueFormats.binancePrice(s, $0) }
        }
        router.get("/api/v3/ticker/bookTicker") { req, _ in
            let s = req.uri.queryParameters["symbol"].map(String.init) ?? ""
            return try await serve(.binance, req, s) { VenueFormats.binanceBook(s, $0) }
        }
        router.get("/api/v2/ticker/:pair") { req, ctx in
            let p = ctx.parameters.get("pair") ?? ""
            return try await serve(.bitstamp, req, p) { VenueFormats.bitstamp(p, $0) }
        }
        router.get("/api/v5/market/ticker") { req, _ in
            let s = req.uri.queryParameters["instId"].map(String.init) ?? ""
            return try await serve(.okx, req, s) { VenueFormats.okx(s, $0) }
        }
        router.get("/v5/market/tickers") { req, _ in
            let s = req.uri.queryParameters["symbol"].map(String.init) ?? ""
            return try await serve(.bybit, req, s) { VenueFormats.bybit(s, $0) }
        }
        router.get("/v2/updates/price/latest") { req, _ in try await pyth(state, req) }
        router.post("/rpc") { req, _ in try await chainlink(state, req) }
        router.get("/custom/:symbol") { req, ctx in
            let s = ctx.parameters.get("symbol") ?? ""
            return try await serve(.json, req, s) { VenueFormats.custom(s, $0) }
        }
        return router
    }

    /// Hermes: every requested id that has a price is in `parsed`; unknown ids are left out
    /// (the real service answers 404 when none is known).
    static func pyth(_ state: VenueState, _ req: Request) async throws -> Response {
        await state.record(.pyth, userAgent: req.headers[.userAgent])
        let q = req.uri.queryParameters
        let ids = (q[values: "ids[]"] + q[values: "ids%5B%5D"] + q[values: "ids%5b%5d"]).map {
            VenueState.key(.pyth, String($0))
        }
        var entries: [String] = []
        for id in ids { if let t = await state.tick(.pyth, id) { entries.append(VenueFormats.pythEntry(id, t)) } }
        let body: String? = entries.isEmpty ? nil : VenueFormats.pyth(entries)
        return try await VenueResponses.answer(.pyth, mode: await state.mode(.pyth)) { body }
    }

    /// JSON-RPC `eth_call`: `latestRoundData()` and `decimals()` (8) of aggregator addresses with a price.
    static func chainlink(_ state: VenueState, _ req: Request) async throws -> Response {
        await state.record(.chainlink, userAgent: req.headers[.userAgent])
        let buffer = try await req.body.collect(upTo: 64 * 1024)
        let text = String(buffer: buffer)
        let id = capture(text, #""id"\s*:\s*("?[A-Za-z0-9-]+"?)"#) ?? "1"
        let to = capture(text, #""to"\s*:\s*"(0x[0-9a-fA-F]{40})""#) ?? ""
        let data = capture(text, #""data"\s*:\s*"(0x[0-9a-fA-F]+)""#) ?? ""
        let tick = await state.tick(.chainlink, to)
        let body: String?
        switch (data.lowercased(), tick) {
        case ("0xfeaf968c", let t?):
            body = VenueFormats.jsonRPC(
                id: id,
                result: VenueFormats.chainlinkRound(t, round: 18_446_744_073_709_551 + Int64(t.time) % 100_000)
            )
        case ("0x313ce567", _?): body = VenueFormats.jsonRPC(id: id, result: "0x" + VenueFormats.word(8))
        default: body = #"{"jsonrpc":"2.0","id":\#(id),"error":{"code":-32000,"message":"execution reverted"}}"#
        }
        return try await VenueResponses.answer(.chainlink, mode: await state.mode(.chainlink)) { body }
    }

    static func capture(_ text: String, _ pattern: String) -> String? {
        guard let r = text.range(of: pattern, options: .regularExpression) else { return nil }
        let match = String(text[r])
        guard let colon = match.firstIndex(of: ":") else { return nil }
        var v = match[match.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2, pattern.contains("(0x") {
            v = String(v.dropFirst().dropLast())
        }
        return v
    }
}
