public import BreakwaterEngine
import Synchronization

/// What became of one delivery attempt.
public enum AttemptOutcome: Sendable, Equatable {
    case delivered
    /// Try again at this time (epoch seconds).
    case retry(at: EpochSeconds)
    case failed
}

extension RiskStateStore {
    /// Pending deliveries for `destination` due at `now`, in enqueue order, skipping any whose fingerprint has an
    /// earlier pending delivery (so notifications for one fingerprint arrive in order).
    public func dueDeliveries(destination: String, now: EpochSeconds, limit: Int = 50) throws -> [DeliveryRecord] {
        try backend.dueDeliveries(destination: destination, now: now, limit: limit)
    }

    /// The earliest `nextAttemptAt` among the pending deliveries for `destination` that may be
    /// sent next (the oldest pending one of each fingerprint), if any. Deliveries queued behind
    /// a retrying one wait for it, so their own times do not count (they made the worker poll
    /// every 20 ms for the whole retry schedule).
    public func nextDueTime(destination: String) throws -> EpochSeconds? {
        try backend.nextDueTime(destination: destination)
    }

    /// Records an attempt and its outcome for delivery `id`, atomically.
    public func recordAttempt(_ attempt: DeliveryAttempt, outcome: AttemptOutcome) throws {
        let status: DeliveryStatus
        var next: Double? = nil
        switch outcome {
        case .delivered: status = .delivered
        case .failed: status = .failed
        case .retry(let at):
            status = .pending
            next = at
        }
        let before = try backend.recordAttempt(
            attempt,
            status: status,
            lastError: status == .delivered ? nil : attempt.error ?? attempt.statusCode.map { "HTTP \($0)" },
            nextAttemptAt: next
        )
        if let before, before.status != status {
            outbox.add(before.destination, before.status, -1)
            outbox.add(before.destination, status, 1)
        }
    }

    /// Notes that an attempt for delivery `id` begins at `time` (cleared when its outcome is
    /// recorded), so that one cut short by a kill or a stop shows in the history.
    public func markSending(_ id: String, at time: EpochSeconds) throws {
        try backend.markSending(id, at: time)
    }

    /// Claims delivery `d` (as fetched) for this replica, for an attempt beginning at `start`
    /// and lasting at most `seconds`, and notes the attempt begun: false when another replica
    /// is sending it now, or it changed since it was fetched (sent, or a dead replica's
    /// attempt just recorded as interrupted: fetch it again). With SQLite (one process) always
    /// true. A claim ends with the attempt's outcome (``recordAttempt(_:outcome:)``) or at
    /// `start + seconds`, when another replica may send it again with the same webhook-id.
    public func claim(_ d: DeliveryRecord, at start: EpochSeconds, forSeconds seconds: Double) throws -> Bool {
        let granted = try backend.claim(
            d,
            holder: replica,
            at: start,
            until: start + seconds,
            interruptedError: Self.interruptedAttemptError
        )
        claimCounts.withLock { counts in
            if granted { counts.granted += 1 } else { counts.refused += 1 }
        }
        return granted
    }

    /// Takes or renews lease `name` for this replica for `seconds`; true when it holds it now.
    /// With SQLite (one process) always true; with PostgreSQL one replica at a time holds it,
    /// until it stops renewing it and `seconds` pass (the database's clock).
    public func holdLease(_ name: String, seconds: Double) throws -> Bool {
        try backend.holdLease(name, holder: replica, seconds: seconds)
    }

    /// What an attempt that the process did not live to finish says in the history.
    public static let interruptedAttemptError =
        "interrupted: Breakwater stopped before this attempt's outcome was recorded (the receiver may have it; the next attempt carries the same webhook-id)"

    /// Records every attempt that began but has no outcome (the process was killed or stopped
    /// during it) as an attempt without an answer, at the time it began; the delivery stays
    /// pending. Call at start-up, before sending. Returns the webhook-ids concerned.
    @discardableResult
    public func recordInterruptedAttempts() throws -> [String] {
        try backend.recordInterruptedAttempts(error: Self.interruptedAttemptError)
    }

    /// Delivery `id`, or nil.
    public func delivery(id: String) throws -> DeliveryRecord? { try backend.delivery(id: id) }

    /// Every delivery for `destination` in enqueue order (tests and diagnostics).
    public func deliveries(destination: String? = nil) throws -> [DeliveryRecord] {
        try backend.deliveries(destination: destination)
    }

    /// Deliveries by destination and status, from memory (no query): kept up to date by every
    /// write of this store since it opened.
    public func outboxCounts() -> [String: [DeliveryStatus: Int]] { outbox.snapshot }

    /// Deliveries by destination and status, counted in the database (one scan of the table).
    public func deliveryCounts() throws -> [String: [DeliveryStatus: Int]] { try backend.countDeliveries() }

    /// Per destination (each one with an attempt still stored), its latest attempt: one scan of
    /// the attempts, for the status page's delivery state.
    public func lastAttempts() throws -> [String: LastAttempt] { try backend.lastAttempts() }
}

/// The most recent delivery attempt made to one destination.
public struct LastAttempt: Sendable, Equatable {
    /// When it was made, epoch seconds.
    public var time: EpochSeconds
    /// The HTTP status it got, nil when no answer came (connection error, timeout).
    public var statusCode: Int?
    /// Why it failed, nil when it succeeded.
    public var error: String?
    public init(time: EpochSeconds, statusCode: Int?, error: String?) {
        self.time = time
        self.statusCode = statusCode
        self.error = error
    }

    /// True when it delivered (a 2xx answer).
    public var succeeded: Bool { error == nil && (statusCode.map { (200..<300).contains($0) } ?? false) }
}
