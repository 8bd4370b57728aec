import BreakwaterEngine
import BreakwaterFeeds
import NIOCore
import Synchronization

/// What the routes serve: the last published snapshots, already encoded as JSON. Reads
/// never touch the engine; the Monitor replaces the board's contents after each change.
public final class SnapshotBoard: Sendable {
    public struct Published: Sendable {
        public var asOf: EpochSeconds = 0
        public var markets: [MarketSnapshot] = []
        /// Market id -> encoded `GET /v1/markets/{id}` body.
        public var marketJSON: [String: ByteBuffer] = [:]
        public var allMarketsJSON = ByteBuffer()
        public var healthJSON = ByteBuffer()
        /// Poll statistics of every polled source.
        public var feeds: [FeedStatistics] = []
        /// Recent (time, price, maintenance) per market for the status page chart.
        public var history: [String: [(EpochSeconds, Double?, Double)]] = [:]
    }

    private let state = Mutex(Published())

    public init() {}

    public var current: Published { state.withLock { $0 } }

    func update(_ body: (inout Published) -> Void) { state.withLock { body(&$0) } }

    func marketJSON(_ id: String) -> ByteBuffer? { state.withLock { $0.marketJSON[id] } }
}
