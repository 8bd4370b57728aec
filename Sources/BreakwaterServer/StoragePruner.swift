import BreakwaterStore
import Logging
import ServiceLifecycle

/// Deletes resolved alerts and finished deliveries (with their attempts) older than
/// `storage.retentionDays`, at start-up and then every `intervalSeconds`. Pending deliveries
/// and firing alerts are never deleted. Works in short batches on the store's write queue, so
/// pushes, operator actions and deliveries run between them, and serving never waits for it.
struct StoragePruner: Service {
    let store: RiskStateStore
    let retentionDays: Int
    let intervalSeconds: Double
    let logger: Logger
    /// Current time, epoch seconds.
    let now: @Sendable () -> Double
    /// Rows of each kind deleted per transaction.
    var batchSize = 500

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pruneOnce()
                try await Task.sleep(for: .seconds(intervalSeconds))
            }
        }
    }

    /// One pass: batches until one deletes nothing. Returns the total deleted.
    @discardableResult
    func pruneOnce() async -> PruneResult {
        let cutoff = now() - Double(retentionDays) * 86_400
        var total = PruneResult()
        let batchSize = batchSize
        while !Task.isCancelled {
            do {
                let batch = try await store.writing { try $0.pruneBatch(before: cutoff, limit: batchSize) }
                total.alerts += batch.alerts
                total.deliveries += batch.deliveries
                if batch == PruneResult() { break }
            } catch {
                logger.warning("pruning old alerts failed; trying again later", metadata: ["error": "\(error)"])
                break
            }
        }
        if total != PruneResult() {
            logger.info(
                "pruned alerts older than the retention",
                metadata: [
                    "retentionDays": "\(retentionDays)", "alerts": "\(total.alerts)",
                    "deliveries": "\(total.deliveries)",
                ]
            )
        }
        return total
    }
}
