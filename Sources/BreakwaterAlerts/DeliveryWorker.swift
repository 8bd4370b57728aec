public import AsyncHTTPClient
public import BreakwaterConfig
public import BreakwaterEngine
public import BreakwaterStore
public import Logging
public import Metrics
public import ServiceLifecycle
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Delivers the outbox: at least once, in order per fingerprint, with backoff and jitter.
/// Each destination has its own loop, so one that hangs or keeps failing does not delay the others.
/// Stops on graceful shutdown or cancellation; an interrupted attempt stays pending and is sent again later
/// with the same `webhook-id`, and the next start records it in the history (as does one cut short by a kill).
public final class DeliveryWorker: Service, Sendable {
    let store: RiskStateStore
    let destinations: [Destination]
    let sender: DeliverySender
    let policy: RetryPolicy
    /// Seconds between outbox polls when nothing wakes the worker.
    let pollInterval: Double
    let logger: Logger
    let clock: @Sendable () -> EpochSeconds
    let counters: DeliveryCounters
    /// Attempts made whose outcome could not be stored (storage failed after the send), by
    /// destination id. Stored before anything else is sent there: otherwise a delivered
    /// notification, still pending in the store, would be sent again and again.
    let unrecorded = Mutex<[String: [(DeliveryAttempt, AttemptOutcome)]]>([:])
    let wakes: [String: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)]

    /// - Parameters:
    ///   - environment: where the secrets named by `secretEnv` / `routingKeyEnv` are read.
    ///   - httpClient: must not follow redirects (the default does not).
    ///   - policy: retry schedule; default is the Standard Webhooks schedule with `config.maxAttempts`.
    ///   - pollInterval: seconds between outbox polls (a ``wake()`` polls at once).
    ///   - clock: current time, epoch seconds.
    ///   - metrics: where the delivery counters (`DeliveryCounters`) are recorded.
    public init(
        store: RiskStateStore,
        config: AlertsConfig,
        environment: [String: String],
        policy: RetryPolicy? = nil,
        generatorURL: String? = nil,
        httpClient: HTTPClient = DeliveryWorker.notificationClient,
        pollInterval: Double = 0.5,
        logger: Logger = Logger(label: "breakwater.alerts.delivery"),
        clock: @escaping @Sendable () -> EpochSeconds = DeliveryWorker.wallClock,
        metrics: any MetricsFactory
    ) {
        self.store = store
        self.destinations = config.webhooks.map { Destination($0, generatorURL: generatorURL) }
        self.sender = DeliverySender(client: httpClient, environment: environment)
        self.policy = policy ?? RetryPolicy(maxAttempts: config.maxAttempts)
        self.pollInterval = max(0.01, pollInterval)
        self.logger = logger
        self.clock = clock
        self.counters = DeliveryCounters(destinations: destinations.map(\.id), factory: metrics)
        var w: [String: (AsyncStream<Void>, AsyncStream<Void>.Continuation)] = [:]
        for d in destinations { w[d.id] = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1)) }
        self.wakes = w.mapValues { (stream: $0.0, continuation: $0.1) }
    }

    /// The process's client for notifications: like `HTTPClient.shared` (never shut down), but
    /// redirects are not followed (see `DeliverySender`).
    public static let notificationClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: DeliverySender.clientConfiguration
    )

    /// Wall-clock time, epoch seconds.
    @Sendable public static func wallClock() -> EpochSeconds { Date().timeIntervalSince1970 }

    /// Looks at the outbox now (call after enqueuing).
    public func wake() {
        for w in wakes.values { w.continuation.yield() }
    }

    public func run() async throws {
        do {
            let interrupted = try await store.writing { try $0.recordInterruptedAttempts() }
            if !interrupted.isEmpty {
                logger.notice(
                    "notifications were being sent when Breakwater stopped; recorded as interrupted, sending again with the same webhook-id",
                    metadata: ["webhook-ids": "\(interrupted.joined(separator: ","))"]
                )
            }
        } catch {
            if store.isShared {
                // Nothing is lost: on a shared database a delivery whose claim expired unfinished
                // is recorded as interrupted by whichever replica claims it next.
                logger.notice(
                    "database not reachable at start-up: attempts a stopped replica left unfinished are recorded as interrupted when their deliveries are next claimed",
                    metadata: ["error": "\(error)"]
                )
            } else {
                logger.error("cannot record the attempts interrupted by the last stop", metadata: ["error": "\(error)"])
            }
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for d in self.destinations {
                    group.addTask { await self.ticker(d) }
                    group.addTask { await self.loop(d) }
                }
            }
        }
    }

    /// Wakes `d`'s loop every poll interval, sooner when a retry is due earlier.
    func ticker(_ d: Destination) async {
        guard let w = wakes[d.id] else { return }
        while !Task.isCancelled {
            var wait = pollInterval
            let allStored = unrecorded.withLock { $0[d.id]?.isEmpty ?? true }
            let id = d.id
            if allStored, let next = try? await store.reading({ try $0.nextDueTime(destination: id) }) {
                wait = min(wait, max(0.02, next - clock()))
            }
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            w.continuation.yield()
        }
        w.continuation.finish()
    }

    func loop(_ d: Destination) async {
        guard let w = wakes[d.id] else { return }
        for await _ in w.stream {
            if Task.isCancelled { return }
            await drain(d)
        }
    }

    /// Stores the outcomes `d` could not store before; false while storage still fails.
    /// Only `d`'s loop adds to or takes from its list, one call at a time.
    func storeUnrecorded(_ d: Destination) async -> Bool {
        var left = unrecorded.withLock { $0.removeValue(forKey: d.id) } ?? []
        while let (attempt, outcome) = left.first {
            do {
                try await store.writing { try $0.recordAttempt(attempt, outcome: outcome) }
            } catch {
                unrecorded.withLock { $0[d.id] = left }
                return false
            }
            left.removeFirst()
        }
        return true
    }

    /// Sends everything due for `d`, oldest first (nothing while earlier outcomes wait to be stored).
    func drain(_ d: Destination) async {
        guard await storeUnrecorded(d) else { return }
        while !Task.isCancelled {
            let due: [DeliveryRecord]
            do {
                let (id, now) = (d.id, clock())
                due = try await store.reading { try $0.dueDeliveries(destination: id, now: now, limit: 20) }
            } catch {
                logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
                return
            }
            if due.isEmpty { return }
            var sent = false
            for rec in due {
                do { sent = try await attempt(rec, to: d) || sent } catch { return }
            }
            // All claimed by other replicas (or changed under us): look again at the next wake.
            if !sent { return }
        }
    }

    /// Longer than a delivery's claim lasts beyond the destination's `timeoutMs`: time to
    /// record the outcome, seconds.
    static let claimMarginSeconds: Double = 5

    /// One attempt for `rec`, once this replica has claimed it; records the outcome. False when
    /// another replica has it (nothing sent). Throws only on cancellation or a storage failure
    /// (with SQLite the claim is best effort: the send goes ahead and its outcome waits in memory;
    /// with PostgreSQL nothing is sent unclaimed, as another replica could be sending it).
    @discardableResult
    func attempt(_ rec: DeliveryRecord, to d: Destination) async throws -> Bool {
        let start = clock()
        let seconds = Double(d.config.timeoutMs) / 1000 + Self.claimMarginSeconds
        guard try await store.writing({ try $0.claim(rec, at: start, forSeconds: seconds) }) else { return false }
        let result = try await sender.send(rec, to: d, now: start)
        let end = clock()
        let n = rec.attempts + 1
        let outcome: AttemptOutcome
        let code: Int?
        let error: String?
        switch result {
        case .delivered(let s):
            (code, error, outcome) = (s, nil, .delivered)
            counters.add(d.id, .delivered)
        case .retry(let s, let e, let after):
            (code, error) = (s, e)
            if let delay = policy.delay(afterAttempt: n, retryAfter: after) {
                outcome = .retry(at: end + delay)
                counters.add(d.id, .retried)
            } else {
                outcome = .failed
                counters.add(d.id, .failed)
            }
        case .stop(let s, let e):
            (code, error, outcome) = (s, e, .failed)
            counters.add(d.id, .failed)
        }
        if outcome == .failed {
            logger.warning(
                "delivery failed for good",
                metadata: [
                    "destination": "\(d.id)", "webhook-id": "\(rec.id)",
                    "error": "\(error ?? "")", "attempts": "\(n)",
                ]
            )
        }
        let record = DeliveryAttempt(
            deliveryId: rec.id,
            attempt: n,
            time: start,
            statusCode: code,
            error: error,
            durationMs: (end - start) * 1000
        )
        do {
            try await store.writing { try $0.recordAttempt(record, outcome: outcome) }
        } catch {
            logger.error(
                "cannot record a delivery attempt; sending to this destination waits for storage",
                metadata: ["destination": "\(d.id)", "webhook-id": "\(rec.id)", "error": "\(error)"]
            )
            unrecorded.withLock { $0[d.id, default: []].append((record, outcome)) }
            throw error
        }
        return true
    }
}
