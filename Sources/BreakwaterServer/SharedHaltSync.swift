import BreakwaterStore
import Logging
import ServiceLifecycle

/// Applies the manual halts and resumes made through the other replicas of one PostgreSQL
/// database: reads the shared market states every `intervalSeconds` (0.25 s: a halt through
/// any replica holds on every replica within a second) and hands them to the Monitor. While
/// the database is away the replicas keep their own halts and catch up when it returns.
struct SharedHaltSync: Service {
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
                    let states = try await store.reading { try $0.loadMarketStates() }
                    await monitor.applySharedManualHalts(states, now: now())
                    failing = false
                } catch {
                    if !failing {
                        logger.warning(
                            "cannot read the halts shared by other replicas; keeping this replica's",
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
