public import BreakwaterStore
public import Logging
public import ServiceLifecycle
import Synchronization

/// The lease that lets one replica at a time turn engine events into alerts, so that several
/// replicas on one PostgreSQL database send one notification per alert transition. The
/// holder renews it every third of ``seconds``; when it dies (or loses the database) another
/// replica takes it once ``seconds`` have passed (the database's clock) and reloads the firing
/// alerts, which its own engine then confirms or resolves. With SQLite (one process) it is
/// always held.
///
/// A replica counts itself holder only until `seconds - 1` after the renewal that granted it
/// began, so it stops alerting before the database would grant the lease to another.
public final class AlertLease: Service, Sendable {
    public static let name = "alerts"
    /// How long a grant lasts, seconds (10 by default).
    public let seconds: Double
    let store: RiskStateStore
    let onGained: @Sendable () async -> Void
    let logger: Logger
    private let heldUntil = Mutex<ContinuousClock.Instant?>(nil)
    /// The last renewal failure logged and when: the same one is logged once a minute (every
    /// commit retries while the database is away).
    private let lastFailure = Mutex<(message: String, at: ContinuousClock.Instant)?>(nil)

    /// - Parameter onGained: called after each renewal that took the lease from nobody or another
    ///   replica (reload the alert state).
    public init(
        store: RiskStateStore,
        seconds: Double = 10,
        logger: Logger,
        onGained: @escaping @Sendable () async -> Void
    ) {
        self.store = store
        self.seconds = seconds
        self.logger = logger
        self.onGained = onGained
    }

    /// Whether this replica holds the lease now (always, on a store no other process shares).
    public var isHeld: Bool {
        !store.isShared || heldUntil.withLock { $0.map { ContinuousClock.now < $0 } ?? false }
    }

    /// Takes the lease if it is free, at start-up (blocks; the alert state was just loaded):
    /// a replica alone, or the first, alerts from its first event. True when held.
    @discardableResult
    public func takeAtStart() -> Bool {
        let began = ContinuousClock.now
        let held = (try? store.holdLease(Self.name, seconds: seconds)) ?? false
        heldUntil.withLock { $0 = held ? began + .seconds(seconds - 1) : nil }
        return held
    }

    /// Takes or renews the lease; true when held. Calls `onGained` when it was not held before.
    @discardableResult
    public func renew() async -> Bool {
        let began = ContinuousClock.now
        let wasHeld = isHeld
        let (name, seconds) = (Self.name, seconds)
        let held: Bool
        do {
            held = try await store.writing { try $0.holdLease(name, seconds: seconds) }
        } catch {
            let message = "\(error)"
            let due = lastFailure.withLock { last in
                guard last?.message != message || ContinuousClock.now - last!.at >= .seconds(60) else { return false }
                last = (message, ContinuousClock.now)
                return true
            }
            if due { logger.warning("cannot renew the alert lease", metadata: ["error": "\(message)"]) }
            return isHeld
        }
        lastFailure.withLock { $0 = nil }
        heldUntil.withLock { $0 = held ? began + .seconds(seconds - 1) : nil }
        if held && !wasHeld {
            logger.notice(
                "holding the alert lease: this replica turns events into alerts",
                metadata: ["replica": "\(store.replica)"]
            )
            await onGained()
        } else if !held && wasHeld {
            logger.notice(
                "lost the alert lease: another replica turns events into alerts",
                metadata: ["replica": "\(store.replica)"]
            )
        }
        return held
    }

    public func run() async throws {
        guard store.isShared else { return }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.renew()
                try? await Task.sleep(for: .seconds(self.seconds / 3))
            }
        }
    }
}
