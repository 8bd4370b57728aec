public import AsyncHTTPClient
public import BreakwaterConfig
public import BreakwaterEngine
import BreakwaterWire
public import Foundation
public import Logging
public import Metrics
public import ServiceLifecycle

/// Runs one poller per (market, source) for every non-push source (Pyth sources on one base URL
/// share one poller and one request). Each poller keeps at most one request in flight, waits
/// `intervalMs` between request starts, backs off exponentially with jitter on errors (cap 60 s)
/// and honours `Retry-After`. Every outcome goes to the sink. A ServiceLifecycle `Service`:
/// `run()` returns on graceful shutdown or task cancellation.
public final class FeedSupervisor: Service, Sendable {
    let units: [PollUnit]
    let sink: any FeedSink
    let fetcher: HTTPFetcher
    let logger: Logger
    let clock: @Sendable () -> EpochSeconds
    let stats: FeedStatisticsStore
    let backoff = Backoff()

    /// The process's client for polling: like `HTTPClient.shared` (never shut down), but
    /// redirects are not followed (see `HTTPFetcher`).
    public static let pollingClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPFetcher.clientConfiguration
    )

    /// - Parameters:
    ///   - httpClient: should not follow redirects (`pollingClient` does not); one that does
    ///     has its redirects reported as errors all the same, after the request went out.
    ///   - userAgent: sent on every request, e.g. `breakwater/0.1.0`.
    ///   - clock: wall clock, epoch seconds (receive times, Retry-After dates, Chainlink heartbeat).
    ///   - metrics: where the poll metrics (`FeedPollMetrics`) are recorded.
    public convenience init(
        markets: [MarketConfig],
        sink: any FeedSink,
        httpClient: HTTPClient = FeedSupervisor.pollingClient,
        userAgent: String,
        logger: Logger,
        clock: @escaping @Sendable () -> EpochSeconds = { Date().timeIntervalSince1970 },
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.init(
            sources: markets.flatMap { m in m.sources.map { FeedSource(market: m.id, config: $0) } },
            sink: sink,
            httpClient: httpClient,
            userAgent: userAgent,
            logger: logger,
            clock: clock,
            metrics: metrics
        )
    }

    /// Polls already-converted sources (tests, the demo).
    public init(
        sources: [FeedSource],
        sink: any FeedSink,
        httpClient: HTTPClient = FeedSupervisor.pollingClient,
        userAgent: String,
        logger: Logger,
        clock: @escaping @Sendable () -> EpochSeconds = { Date().timeIntervalSince1970 },
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        units = PollUnit.plan(sources: sources)
        self.sink = sink
        fetcher = HTTPFetcher(client: httpClient, userAgent: userAgent, clock: clock)
        self.logger = logger
        self.clock = clock
        stats = FeedStatisticsStore(units.flatMap(\.members), metrics: metrics)
    }

    public func run() async throws {
        logger.info(
            "feeds starting",
            metadata: [
                "pollers": "\(units.count)",
                "sources": "\(units.reduce(0) { $0 + $1.members.count })",
            ]
        )
        // A Service that returns early would end the whole ServiceGroup: with nothing to poll, wait for shutdown.
        if units.isEmpty {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for unit in self.units { group.addTask { await self.loop(unit) } }
            }
        }
    }

    /// Poll statistics of every polled (market, source), in config order.
    public func statistics() async -> [FeedStatistics] { await stats.all() }

    /// Polls `unit` until cancelled.
    func loop(_ unit: PollUnit) async {
        // Backoff counts polls in which every member failed (the venue is down); the log
        // follows each member on its own (one Pyth feed can fail while the batch succeeds).
        var failures = 0
        var failing = [FeedError?](repeating: nil, count: unit.members.count)
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let outcome = await poll(unit)
            if Task.isCancelled { return }
            failures = outcome.failed ? failures + 1 : 0
            logTransitions(unit, from: failing, to: outcome.memberErrors)
            failing = outcome.memberErrors
            let wait: Double
            if failures == 0 {
                let elapsed = ContinuousClock.now - started
                wait = max(
                    0,
                    unit.intervalSeconds - Double(elapsed.components.seconds) - Double(elapsed.components.attoseconds)
                        * 1e-18
                )
            } else {
                wait = backoff.delay(
                    interval: unit.intervalSeconds,
                    consecutiveFailures: failures,
                    retryAfter: outcome.error?.retryAfterSeconds
                )
            }
            let next = clock() + wait
            for s in unit.members { await stats.scheduled(s, at: next) }
            do { try await Task.sleep(for: .milliseconds(Int64(wait * 1000))) } catch { return }
        }
    }

    /// Logs "source failing" for the members that failed after succeeding (or at their first
    /// poll) and "source recovered" for those that succeeded after failing; members sharing
    /// one error (the whole request failed) share one line.
    func logTransitions(_ unit: PollUnit, from before: [FeedError?], to after: [FeedError?]) {
        var newlyFailing: [(String, String)] = []
        var recovered: [String] = []
        for (i, s) in unit.members.enumerated() where i < before.count && i < after.count {
            let name = "\(s.market)/\(s.id)"
            if let e = after[i], before[i] == nil { newlyFailing.append((name, e.message)) }
            if after[i] == nil, before[i] != nil { recovered.append(name) }
        }
        var byMessage: [(message: String, names: [String])] = []
        for (name, message) in newlyFailing {
            if let k = byMessage.firstIndex(where: { $0.message == message }) {
                byMessage[k].names.append(name)
            } else {
                byMessage.append((message, [name]))
            }
        }
        for group in byMessage {
            logger.notice(
                "source failing",
                metadata: ["sources": "\(group.names.joined(separator: ","))", "error": "\(group.message)"]
            )
        }
        if !recovered.isEmpty {
            logger.notice(
                "source recovered",
                metadata: ["sources": "\(recovered.joined(separator: ","))", "error": ""]
            )
        }
    }

    struct Outcome {
        /// Every member failed.
        var failed: Bool
        /// The first error of the poll (for Retry-After).
        var error: FeedError?
        /// Each member's error in this poll, nil where it succeeded (member order).
        var memberErrors: [FeedError?]
    }

    /// One poll of one unit: fetch, decode, report every member.
    func poll(_ unit: PollUnit) async -> Outcome {
        let started = ContinuousClock.now
        var results: [(FeedSource, Result<FeedQuote, FeedError>)] = []
        var unitError: FeedError?
        do {
            if let base = unit.batchBase {
                let ids = unit.members.compactMap(\.symbol)
                let bodies = try await fetcher.fetch(
                    [PythAdapter.request(base: base, ids: ids)],
                    kind: .pyth,
                    timeout: unit.timeoutSeconds
                )
                let decoded = try PythAdapter.decodeBatch(bodies[0], ids: ids)
                for s in unit.members {
                    let r =
                        s.symbol.flatMap { decoded[PythAdapter.normalize($0)] }
                        ?? .failure(.config("source \(s.id) (pyth) has no feed id"))
                    results.append((s, r))
                }
            } else if let s = unit.members.first, let adapter = Adapters.adapter(for: unit.kind) {
                let bodies = try await fetcher.fetch(
                    try adapter.requests(for: s),
                    kind: unit.kind,
                    timeout: unit.timeoutSeconds
                )
                results.append((s, .success(try adapter.decode(bodies, source: s, now: clock()))))
            }
        } catch {
            let e = error as? FeedError ?? FeedError(.transport, "\(error)")
            unitError = e
            results = unit.members.map { ($0, .failure(e)) }
        }
        let elapsed = ContinuousClock.now - started
        let latency = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let now = clock()
        var failed = 0
        var memberErrors = [FeedError?](repeating: nil, count: unit.members.count)
        for (i, (s, r)) in results.enumerated() {
            switch r {
            case let .success(q):
                await stats.success(s, at: now, latency: latency)
                await sink.feedDidReceive(
                    market: s.market,
                    source: s.id,
                    quote: q,
                    receivedAt: now,
                    latencySeconds: latency
                )
            case let .failure(e):
                failed += 1
                if i < memberErrors.count { memberErrors[i] = e }
                unitError = unitError ?? e
                await stats.failure(s, e, at: now, latency: latency)
                await sink.feedDidFail(market: s.market, source: s.id, error: e, at: now, latencySeconds: latency)
            }
        }
        return Outcome(
            failed: !results.isEmpty && failed == results.count,
            error: unitError,
            memberErrors: memberErrors
        )
    }
}
