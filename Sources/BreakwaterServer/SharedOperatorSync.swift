import BreakwaterStore
import Logging
import ServiceLifecycle

/// Applies the operator actions made through the other replicas of one PostgreSQL database
/// (manual halts and resumes, source disables and enables) and the margins and last good prices
/// the lease holder published: reads them from the shared store
/// every `intervalSeconds` (0.25 s: an action through any replica holds on every replica
/// within a second) and hands them to the Monitor, then writes this replica's own actions made
/// while the database was away. While it is away the replicas keep their own state and catch
/// up when it returns. A replica that has not reached the database yet (started while it was
/// away) joins at the first pass that reaches it (``DatabaseJoin``).
struct SharedOperatorSync: Service {
    let store: RiskStateStore
    let monitor: Monitor
    let join: DatabaseJoin
    var intervalSeconds: Double = 0.25
    let logger: Logger
    /// Current time, epoch seconds.
    let now: @Sendable () -> Double

    /// One pass: reads and applies the shared actions and writes the pending ones, and joins
    /// if not joined yet (`atStart`: first, before serving; later: once the pending actions are
    /// out, so that the other replicas have them first). Throws ``StoreError`` when the store
    /// cannot be reached.
    func pass(atStart: Bool = false) async throws {
        if atStart { try await join.joinIfNeeded(atStart: true) }
        // Captured before the read: a halt this replica changes meanwhile is not undone by it.
        let generation = await monitor.sharedReadGeneration
        let (states, switches) = try await store.reading {
            (try $0.loadMarketStates(), try $0.loadSourceSwitches())
        }
        await monitor.applySharedManualHalts(states, readAt: generation, now: now())
        await monitor.adoptSharedMarketStates(states, now: now())
        await monitor.applySharedSourceSwitches(switches, now: now())
        await monitor.sharePendingOperatorActions()
        try await join.joinIfNeeded()
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    try await pass()
                    failing = false
                } catch {
                    if !failing {
                        logger.warning(
                            "cannot read the operator actions shared by other replicas; keeping this replica's",
                            metadata: ["error": "\(error)"]
                        )
                    }
                    failing = true
                }
                try await Task.sleep(for: .seconds(intervalSeconds))
            }
        }
    }
}
