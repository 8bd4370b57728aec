public import BreakwaterEngine

/// Receives every outcome of every poll. Called from poller tasks, one call per (market, source) per poll.
public protocol FeedSink: Sendable {
    /// A good quote. `receivedAt` is the local clock when the body was complete;
    /// `latencySeconds` the wall time of the whole fetch (all requests of the poll).
    func feedDidReceive(
        market: String,
        source: String,
        quote: FeedQuote,
        receivedAt: EpochSeconds,
        latencySeconds: Double
    ) async
    /// A failed poll. `at` is the local clock when the failure was known.
    func feedDidFail(market: String, source: String, error: FeedError, at: EpochSeconds, latencySeconds: Double) async
}

/// Poll statistics of one (market, source), for the API and metrics.
public struct FeedStatistics: Sendable, Equatable {
    public var market: String
    public var source: String
    public var kind: String
    /// Wall time of the last poll, seconds (nil before the first poll finished).
    public var lastLatencySeconds: Double?
    /// Failed polls since the last success.
    public var consecutiveFailures: Int
    public var successes: Int
    public var failures: Int
    /// Human-readable last error and its code (`FeedError.code`), cleared by nothing: it stays for diagnosis.
    public var lastError: String?
    public var lastErrorCode: String?
    /// Local clock of the last success / failure, epoch seconds.
    public var lastSuccessAt: EpochSeconds?
    public var lastFailureAt: EpochSeconds?
    /// When the next request is scheduled, epoch seconds (includes backoff and Retry-After).
    public var nextPollAt: EpochSeconds?

    public init(market: String, source: String, kind: String) {
        self.market = market
        self.source = source
        self.kind = kind
        consecutiveFailures = 0
        successes = 0
        failures = 0
    }
}
