import AsyncHTTPClient
import BreakwaterConfig
import BreakwaterTestSupport
import BreakwaterVenues
import Foundation
import Testing

@testable import BreakwaterFeeds

@Suite("Supervisor loops: Retry-After, backoff, batching, statistics")
struct SupervisorTests {
    @Test func retryAfterIsHonoured() async throws {
        try await withVenues { venues in
            await priceAll(venues, 64000)
            // 3 s, so that a loaded machine (sleeps overshooting) still shows the wait.
            await venues.state.setMode(.rateLimited(retryAfterSeconds: 3), venue: .coinbase)
            let sink = RecordingSink()
            let sup = supervisor([allKinds(venues, interval: 0.1)[0]], sink)
            let task = Task { try await sup.run() }
            _ = await sink.wait { !$0.isEmpty }
            try await Task.sleep(for: .milliseconds(600))
            // At 100 ms intervals without Retry-After there would be several requests by now.
            #expect(await venues.state.requestCount(.coinbase) == 1)
            let stats = await sup.statistics()[0]
            #expect(stats.failures == 1 && stats.consecutiveFailures == 1 && stats.lastErrorCode == "rate_limited")
            #expect((stats.nextPollAt ?? 0) - Date().timeIntervalSince1970 > 1)
            await venues.state.setMode(.normal, venue: .coinbase)
            let events = await sink.wait(timeout: 10) { $0.contains { $0.quote != nil } }
            #expect(events.contains { $0.quote?.price == 64000 })
            let after = await sup.statistics()[0]
            #expect(after.consecutiveFailures == 0 && after.successes >= 1)
            task.cancel()
            _ = await task.result
        }
    }

    @Test func errorsBackOff() async throws {
        try await withVenues { venues in
            await priceAll(venues, 64000)
            await venues.state.setMode(.serverError, venue: .bitstamp)
            let sink = RecordingSink()
            let sup = supervisor([allKinds(venues, interval: 0.1).first { $0.kind == .bitstamp }!], sink)
            let task = Task { try await sup.run() }
            // Wait for the third failure to be recorded and the next poll scheduled (bounded: a loaded
            // machine is slow, and the point is the spacing of polls, not their count in a fixed time).
            var stats = await sup.statistics()[0]
            for _ in 0..<500 {
                stats = await sup.statistics()[0]
                if stats.consecutiveFailures >= 3, let next = stats.nextPollAt, let failed = stats.lastFailureAt,
                    next > failed
                {
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            task.cancel()
            _ = await task.result
            let k = stats.consecutiveFailures
            #expect(k >= 3)
            // Without backoff the next poll would come 0.1 s later; with it, after failure k the wait is
            // 0.1 x 2^k x (0.5...1) s, capped at 60 s.
            let wait = (stats.nextPollAt ?? 0) - (stats.lastFailureAt ?? 0)
            #expect(
                wait >= min(60, 0.1 * pow(2, Double(k))) * 0.5 - 0.02,
                "after \(k) failures the next poll waits \(wait) s"
            )
            #expect(wait <= min(60, 0.1 * pow(2, Double(k))) + 0.5, "after \(k) failures the next poll waits \(wait) s")
            let n = await venues.state.requestCount(.bitstamp)
            #expect(n >= k, "\(n) requests for \(k) recorded failures")
        }
    }

    @Test func pythSourcesShareOneRequest() async throws {
        try await withVenues { venues in
            for (id, p) in [(btcPyth, 64000.0), (ethPyth, 3000.0), (solPyth, 150.0)] {
                await venues.state.setPrice(p, venue: .pyth, symbol: id)
            }
            let markets = [("BTC-USD", btcPyth), ("ETH-USD", ethPyth), ("SOL-USD", solPyth)].map { m, id in
                #"{"id":"\#(m)","aggregation":{"minSources":1},"sources":[{"id":"pyth","kind":"pyth","symbol":"\#(id)","intervalMs":200,"baseURL":"\#(venues.baseURL)"}]}"#
            }
            let config = try ConfigLoader.parse(Data(#"{"markets":[\#(markets.joined(separator: ","))]}"#.utf8))
            let sink = RecordingSink()
            let sup = FeedSupervisor(
                markets: config.markets,
                sink: sink,
                httpClient: .shared,
                userAgent: userAgent,
                logger: quietLogger()
            )
            let started = ContinuousClock.now
            let task = Task { try await sup.run() }
            // At least three polls (a loaded machine may need longer than 0.6 s for them).
            for _ in 0..<200 where await venues.state.requestCount(.pyth) < 3 {
                try await Task.sleep(for: .milliseconds(25))
            }
            task.cancel()
            _ = await task.result
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let requests = await venues.state.requestCount(.pyth)
            let events = await sink.events
            #expect(requests >= 3)
            // One request per 200 ms interval for all three markets (three per interval without batching).
            #expect(Double(requests) <= seconds / 0.2 + 2, "\(requests) requests in \(seconds) s at 200 ms")
            for m in ["BTC-USD", "ETH-USD", "SOL-USD"] {
                let got = events.filter { $0.market == m && $0.quote != nil }.count
                // Every request answers every market (a request cancelled in flight may not have reached the sink).
                #expect(got >= requests - 1 && got <= requests, "\(m): \(got) quotes for \(requests) requests")
            }
            #expect(events.first { $0.market == "SOL-USD" }?.quote?.price == 150)
            #expect(await sup.statistics().map(\.market) == ["BTC-USD", "ETH-USD", "SOL-USD"])
        }
    }

    /// One Pyth feed missing from a batch answer that serves the others: the log says that
    /// feed is failing (and later recovered), not the others.
    @Test func oneFailingFeedInABatchIsLogged() async throws {
        try await withVenues { venues in
            await venues.state.setPrice(64000, venue: .pyth, symbol: btcPyth)
            let markets = [("BTC-USD", btcPyth), ("ETH-USD", ethPyth)].map { m, id in
                #"{"id":"\#(m)","aggregation":{"minSources":1},"sources":[{"id":"pyth","kind":"pyth","symbol":"\#(id)","intervalMs":100,"baseURL":"\#(venues.baseURL)"}]}"#
            }
            let config = try ConfigLoader.parse(Data(#"{"markets":[\#(markets.joined(separator: ","))]}"#.utf8))
            let (logger, log) = RecordingLogHandler.logger()
            let sink = RecordingSink()
            let sup = FeedSupervisor(
                markets: config.markets,
                sink: sink,
                httpClient: .shared,
                userAgent: userAgent,
                logger: logger
            )
            let task = Task { try await sup.run() }
            func lines(_ message: String) -> [[String: String]] {
                log.all.filter { $0.message == message }.map(\.metadata)
            }
            for _ in 0..<250 where lines("source failing").isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            await venues.state.setPrice(3000, venue: .pyth, symbol: ethPyth)
            for _ in 0..<250 where lines("source recovered").isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            task.cancel()
            _ = await task.result
            let failing = lines("source failing")
            #expect(failing.count == 1)
            #expect(failing.first?["sources"] == "ETH-USD/pyth")
            #expect(failing.first?["error"]?.contains("not in the response") == true)
            #expect(lines("source recovered").map { $0["sources"] } == ["ETH-USD/pyth"])
            #expect(await sink.events.contains { $0.market == "BTC-USD" && $0.quote?.price == 64000 })
        }
    }
}

@Suite("Supervisor lifecycle")
struct SupervisorLifecycleTests {
    @Test func pushOnlyConfigWaitsForShutdown() async throws {
        let sink = RecordingSink()
        let sup = supervisor([FeedSource(market: "BTC-USD", id: "push", kind: .push)], sink)
        let finished = RecordingSink()
        let task = Task {
            try await sup.run()
            await finished.feedDidFail(
                market: "",
                source: "",
                error: FeedError(.config, "returned"),
                at: 0,
                latencySeconds: 0
            )
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(await finished.events.isEmpty, "run() returned before shutdown")
        #expect(await sup.statistics().isEmpty)
        task.cancel()
        _ = await task.result
        #expect(await sink.events.isEmpty)
    }
}
