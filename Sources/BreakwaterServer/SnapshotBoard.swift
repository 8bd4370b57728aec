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
        /// `GET /v1/markets` and `GET /v1/health` bodies, nil until read after a change.
        var allMarketsJSON: ByteBuffer?
        var healthJSON: ByteBuffer?
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

    /// `GET /v1/markets`: every market's body, built once per change.
    func allMarketsJSON() -> ByteBuffer {
        state.withLock { p in
            if let cached = p.allMarketsJSON { return cached }
            var out = ByteBuffer(string: "{\"asOf\":\(SnapshotJSON.time(p.asOf)),\"markets\":[")
            for (i, m) in p.markets.enumerated() {
                if i > 0 { out.writeString(",") }
                if var body = p.marketJSON[m.id] { out.writeBuffer(&body) } else { out.writeString("null") }
            }
            out.writeString("]}")
            p.allMarketsJSON = out
            return out
        }
    }

    /// `GET /v1/health`, built once per change.
    func healthJSON() -> ByteBuffer {
        state.withLock { p in
            if let cached = p.healthJSON { return cached }
            let body = ByteBuffer(string: SnapshotJSON.health(p.markets, asOf: p.asOf))
            p.healthJSON = body
            return body
        }
    }
}
