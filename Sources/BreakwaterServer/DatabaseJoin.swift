import BreakwaterEngine
import BreakwaterStore
import Logging
import Synchronization

/// A replica's first contact with its shared PostgreSQL database: the store connects and
/// migrates, counts its outbox, and the Monitor restores the saved market states and backtest
/// windows. At start-up when the database is there (before serving, as with SQLite); otherwise
/// at the first ``SharedOperatorSync`` pass that reaches it, with no restart. A replica that
/// started while the database was away has evaluated on its own since: it restores no saved
/// state over its engine's (no band halt, margin or backtest window of another replica's); the
/// same pass applies the shared halts and source switches, and its lease and delivery loops,
/// which retry on their own, take part from then on.
final class DatabaseJoin: Sendable {
    let store: RiskStateStore
    let monitor: Monitor
    let logger: Logger
    /// Current time, epoch seconds.
    let now: @Sendable () -> EpochSeconds
    private let joined = Mutex(false)
    /// When the replica started without its database (false until a first failed attempt).
    private let startedAway = Mutex(false)

    init(store: RiskStateStore, monitor: Monitor, logger: Logger, now: @escaping @Sendable () -> EpochSeconds) {
        self.store = store
        self.monitor = monitor
        self.logger = logger
        self.now = now
    }

    /// True once the database was reached and the replica joined.
    var isJoined: Bool { joined.withLock { $0 } }

    /// Joins unless it already has; `atStart` before serving (restores the saved state as a
    /// start does). Throws ``StoreError`` when the database cannot be reached (or refuses the login).
    func joinIfNeeded(atStart: Bool = false) async throws {
        guard !isJoined else { return }
        do {
            try await store.writing { try $0.countOutboxIfNeeded() }
            if atStart {
                let (states, windows) = try await store.reading {
                    (try $0.loadMarketStates(), try $0.loadBacktestWindows())
                }
                await monitor.restore(states, now: now(), logger: logger)
                await monitor.restoreModel(windows)
            }
        } catch {
            startedAway.withLock { $0 = true }
            throw error
        }
        joined.withLock { $0 = true }
        if startedAway.withLock({ $0 }) {
            logger.notice(
                "reached the shared database: joined without a restart (shared halts and source switches applied; alert lease and deliveries from now on)",
                metadata: ["database": "\(store.path)"]
            )
        }
    }
}
