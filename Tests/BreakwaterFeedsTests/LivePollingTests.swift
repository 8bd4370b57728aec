import BreakwaterConfig
import BreakwaterVenues
import Foundation
import Testing

@testable import BreakwaterFeeds

@Suite("Live polling against simulated venues on 127.0.0.1")
struct LivePollingTests {
    @Test func everyKindPollsAPrice() async throws {
        try await withVenues { venues in
            await priceAll(venues, 64000.5)
            let sources = allKinds(venues)
            for s in sources {
                // The venue's time lies within this poll (a second either side: some venues give
                // whole seconds), however long the polls before it took.
                let before = Date().timeIntervalSince1970
                let e = try #require(await pollOnce(s), "\(s.kind)")
                let after = Date().timeIntervalSince1970
                let q = try #require(e.quote, "\(s.kind): \(e.error?.message ?? "")")
                #expect(abs(q.price - 64000.5) < 1e-6, "\(s.kind)")
                if [.coinbaseExchange, .kraken, .binance, .bitstamp, .okx, .bybit].contains(s.kind) {
                    #expect(q.bid != nil && q.ask != nil && q.bid! < q.ask!, "\(s.kind) bid/ask")
                }
                if [.coinbaseExchange, .bitstamp, .okx, .bybit, .pyth, .chainlink, .json].contains(s.kind) {
                    #expect((before - 1)...(after + 1) ~= (q.time ?? 0), "\(s.kind) venue time")
                }
                #expect(e.latency > 0 && e.latency < 5, "\(s.kind): \(e.latency) s")
            }
            #expect(await venues.state.lastUserAgent(.coinbaseExchange) == userAgent)
            #expect(await venues.state.requestCount(.binance) == 2)
        }
    }

    @Test func frozenVenueKeepsOldPriceAndTime() async throws {
        try await withVenues { venues in
            await venues.state.setPrice(100, venue: .okx, symbol: "BTC-USDT")
            await venues.state.setMode(.frozen, venue: .okx)
            await venues.state.setPrice(200, venue: .okx, symbol: "BTC-USDT")
            try await Task.sleep(for: .milliseconds(50))
            let source = allKinds(venues).first { $0.kind == .okx }!
            let first = try #require(await pollOnce(source)?.quote)
            try await Task.sleep(for: .milliseconds(50))
            let second = try #require(await pollOnce(source)?.quote)
            #expect(first.price == 100 && second.price == 100)
            #expect(first.time == second.time)
            await venues.state.setMode(.normal, venue: .okx)
            #expect(try #require(await pollOnce(source)?.quote).price == 200)
        }
    }

    /// Each fault mode gives the expected error kind and never a price.
    @Test(arguments: [
        (VenueMode.htmlError(status: 502), FeedError.Kind.httpStatus, "HTML"),
        (.serverError, .httpStatus, "500"),
        (.emptyBody, .badBody, "empty"),
        (.truncatedJSON, .badBody, "truncated"),
        (.oversizeBody(bytes: 2 << 20), .badBody, "cap"),
        (.venueError, .venueError, "error"),
        (.badPrice(.nan), .badPrice, "NaN"),
        (.badPrice(-5), .badPrice, "negative"),
        (.badPrice(0), .badPrice, "zero"),
        (.rateLimited(retryAfterSeconds: 30), .rateLimited, "Retry-After 30 s"),
    ])
    func faultModes(mode: VenueMode, kind: FeedError.Kind, text: String) async throws {
        try await withVenues { venues in
            await priceAll(venues, 64000)
            await venues.state.setModeAll(mode)
            for s in allKinds(venues) {
                // Pyth and Chainlink cannot carry NaN in their integer formats.
                if case let .badPrice(p) = mode, p.isNaN, s.kind == .pyth || s.kind == .chainlink { continue }
                let e = try #require(await pollOnce(s), "\(s.kind)")
                #expect(e.quote == nil, "\(s.kind) gave a price in mode \(mode)")
                let kindMatches =
                    e.error?.kind == kind
                    // Hermes answers an empty `parsed`; a generic JSON endpoint has no error envelope.
                    || (mode == .venueError && [.pyth, .json].contains(s.kind) && e.error?.kind == .badBody)
                    || (mode == .badPrice(0) && s.kind == .chainlink && e.error?.kind == .badPrice)
                #expect(kindMatches, "\(s.kind) in \(mode): \(e.error?.description ?? "no error")")
                if kindMatches, mode != .venueError, !(s.kind == .chainlink && mode == .badPrice(-5)) {
                    #expect(e.error?.message.contains(text) == true, "\(s.kind): \(e.error?.message ?? "")")
                }
            }
        }
    }

    @Test func geoBlocksSaySo() async throws {
        try await withVenues { venues in
            await priceAll(venues, 64000)
            await venues.state.setModeAll(.geoBlocked)
            let sources = allKinds(venues)
            let binance = try #require(await pollOnce(sources.first { $0.kind == .binance }!)?.error)
            #expect(binance.kind == .geoBlocked && binance.status == 451 && binance.message.contains("Binance"))
            let bybit = try #require(await pollOnce(sources.first { $0.kind == .bybit }!)?.error)
            #expect(bybit.kind == .geoBlocked && bybit.status == 403 && bybit.message.contains("geo-block"))
        }
    }

    @Test func tricklingBodyTimesOut() async throws {
        try await withVenues { venues in
            await priceAll(venues, 64000)
            // At 5 bytes/s the body would take over 10 s; the poll gives up at 0.4 s (bound: see
            // hangingVenueTimesOut).
            await venues.state.setMode(.trickle(bytesPerSecond: 5), venue: .coinbase)
            var source = allKinds(venues)[0]
            source.timeoutSeconds = 0.4
            let started = ContinuousClock.now
            let e = try #require(await pollOnce(source))
            #expect(e.error?.kind == .timeout, "\(String(describing: e.error))")
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func hangingVenueTimesOut() async throws {
        try await withVenues { venues in
            await priceAll(venues, 64000)
            // The venue would answer after 8 s; the poll gives up at its 0.3 s timeout. The bound
            // leaves room for a machine loaded by the other suites running in parallel (1.7 s seen
            // on 2 busy cores) while staying well below the venue's answer.
            await venues.state.setMode(.hang(seconds: 8), venue: .kraken)
            var source = allKinds(venues)[2]
            source.timeoutSeconds = 0.3
            let e = try #require(await pollOnce(source))
            #expect(e.error?.kind == .timeout)
            #expect(e.latency < 5)
        }
    }

    @Test func unreachableVenueIsTransportError() async throws {
        let source = FeedSource(
            market: "BTC-USD",
            id: "cb",
            kind: .coinbase,
            symbol: "BTC-USD",
            timeoutSeconds: 1,
            baseURL: "http://127.0.0.1:1"
        )
        let e = try #require(await pollOnce(source))
        #expect(e.error?.kind == .transport || e.error?.kind == .timeout)
    }
}
