import AsyncHTTPClient
import BreakwaterConfig
import BreakwaterVenues
import Foundation
import Logging
import Testing

@testable import BreakwaterFeeds

/// Records every poll outcome.
actor RecordingSink: FeedSink {
    struct Event: Sendable {
        var market: String
        var source: String
        var quote: FeedQuote?
        var error: FeedError?
        var at: Double
        var latency: Double
    }

    private(set) var events: [Event] = []

    func feedDidReceive(market: String, source: String, quote: FeedQuote, receivedAt: Double, latencySeconds: Double) {
        events.append(
            Event(market: market, source: source, quote: quote, error: nil, at: receivedAt, latency: latencySeconds)
        )
    }

    func feedDidFail(market: String, source: String, error: FeedError, at: Double, latencySeconds: Double) {
        events.append(Event(market: market, source: source, quote: nil, error: error, at: at, latency: latencySeconds))
    }

    /// Waits (polling every 20 ms, at most `timeout` seconds) until `done` holds for the events.
    func wait(timeout: Double = 5, until done: @Sendable ([Event]) -> Bool) async -> [Event] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while !done(events), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return events
    }
}

let userAgent = "breakwater/test"

func quietLogger() -> Logger {
    var l = Logger(label: "feeds-test")
    l.logLevel = .error
    return l
}

func supervisor(_ sources: [FeedSource], _ sink: RecordingSink) -> FeedSupervisor {
    FeedSupervisor(sources: sources, sink: sink, httpClient: .shared, userAgent: userAgent, logger: quietLogger())
}

/// Starts simulated venues, runs `body`, stops them.
func withVenues(_ body: (SimulatedVenues) async throws -> Void) async throws {
    let venues = try await SimulatedVenues.start()
    do {
        try await body(venues)
    } catch {
        await venues.stop()
        throw error
    }
    await venues.stop()
}

/// Polls one source once (no loop, no backoff) and returns its single outcome.
func pollOnce(_ source: FeedSource) async -> RecordingSink.Event? {
    let sink = RecordingSink()
    let sup = supervisor([source], sink)
    _ = await sup.poll(sup.units[0])
    return await sink.events.first
}

let btcPyth = "0xe62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43"
let ethPyth = "0xff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace"
let solPyth = "0xef0d8b6fda2ceba41da15d4095d1da392a0d2f8ed0c6c7bc0f4cfac8c280b56d"
let btcAggregator = "0xf4030086522a5beea4988f8ca5b36dbc97bee88c"

/// One source of each polled kind against `venues`, all for BTC, and the symbols to price.
/// The timeout is generous: these sources test formats and error kinds, and a debug build
/// running every suite at once on two cores can take seconds to answer (tests of timeouts
/// set their own).
func allKinds(_ venues: SimulatedVenues, interval: Double = 0.2) -> [FeedSource] {
    let base = venues.baseURL
    func s(_ kind: SourceKind, _ symbol: String?) -> FeedSource {
        FeedSource(
            market: "BTC-USD",
            id: kind.rawValue,
            kind: kind,
            symbol: symbol,
            intervalSeconds: interval,
            timeoutSeconds: 15,
            baseURL: base
        )
    }
    var chainlink = s(.chainlink, nil)
    chainlink.rpcURL = base + "/rpc"
    chainlink.address = btcAggregator
    chainlink.heartbeatSeconds = 3600
    var json = s(.json, nil)
    json.url = base + "/custom/BTC"
    json.pricePointer = "/data/price"
    json.timestampPointer = "/data/timestamp"
    json.confidencePointer = "/data/conf"
    return [
        s(.coinbase, "BTC-USD"), s(.coinbaseExchange, "BTC-USD"), s(.kraken, "XBTUSD"), s(.binance, "BTCUSDT"),
        s(.bitstamp, "btcusd"), s(.okx, "BTC-USDT"), s(.bybit, "BTCUSDT"), s(.pyth, btcPyth), chainlink, json,
    ]
}

/// Sets `price` for BTC on every venue, in each venue's own symbol.
func priceAll(_ venues: SimulatedVenues, _ price: Double) async {
    let symbols: [(Venue, String)] = [
        (.coinbase, "BTC-USD"), (.coinbaseExchange, "BTC-USD"), (.kraken, "XBTUSD"),
        (.binance, "BTCUSDT"), (.bitstamp, "btcusd"), (.okx, "BTC-USDT"), (.bybit, "BTCUSDT"),
        (.pyth, btcPyth), (.chainlink, btcAggregator), (.json, "BTC"),
    ]
    for (v, s) in symbols { await venues.state.setPrice(price, venue: v, symbol: s) }
}
