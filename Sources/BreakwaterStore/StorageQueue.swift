import Dispatch

/// A serial queue for the store's blocking calls, off Swift's cooperative thread pool.
///
/// SQLite waits for a lock held by another process by sleeping the calling thread (up to
/// ``RiskStateStore/busyTimeoutSeconds``). On the cooperative pool, which has one thread per core,
/// two such waits froze every endpoint, `/healthz` included, for as long as the lock was held.
/// Work queued here runs in order on a thread of its own; a caller on the pool suspends
/// (``run(_:)``) instead of blocking. It is also a `SerialExecutor`, so that an actor whose
/// methods call the store synchronously (``AlertCenter``) runs on it, in order with the rest.
public final class StorageQueue: SerialExecutor {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }

    /// Runs `body` on the queue after the work queued before it; the caller suspends meanwhile.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: body)) }
        }
    }
}
