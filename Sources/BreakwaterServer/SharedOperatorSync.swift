import BreakwaterStore
import Logging
import ServiceLifecycle

/// Applies the operator actions made through the other replicas of one PostgreSQL database
/// (manual halts and resumes, source disables and enables) and the margins and last good prices
/// the lease holder published: reads them from the shared store
/// every `intervalSeconds` (0.25 s: an action through any replica holds on every replica
/// within a second) and hands them to the Monitor. While the database is away the replicas
/// keep their own state and catch up when it returns.
struct SharedOperatorSync: Service {
    let store: RiskStateStore
    let monitor: Monitor
    var intervalSeconds: Double = 0.25
    let logger: Logger
    /// Current time, epoch seconds.
    let now: @Sendable () -> Double

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    let (states, switches) = try await store.reading {
                        (try $0.loadMarketStates(), try $0.loadSourceSwitches())
                    }
                    await monitor.applySharedManualHalts(states, now: now())
                    await monitor.adoptSharedMarketStates(states, now: now())
                    await monitor.applySharedSourceSwitches(switches, now: now())
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
