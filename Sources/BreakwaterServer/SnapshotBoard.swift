public import BreakwaterEngine
public import BreakwaterFeeds
import BreakwaterWire
import NIOCore
import Synchronization

/// What the routes serve: the last published snapshots and their encoded JSON. Reads never
/// touch the engine. The Monitor posts every market on each tick and the touched ones on each
/// change; a market's body is encoded on its first read after that (so at most once per
/// market per tick, and never for markets nobody reads), at the board's `asOf`.
public final class SnapshotBoard: Sendable {
    public struct Published: Sendable {
        /// Time of the last tick or change; every body is served as of it.
        public var asOf: EpochSeconds = 0
        /// Every market, as last published (its `asOf` and ages are those of its last tick or
        /// change; ``SnapshotBoard/current`` reads them at `asOf`).
        public var markets: [MarketSnapshot] = []
        /// Per market (as `markets`): published at least once (the others are not served yet).
        var served: [Bool] = []
        /// Per market: its encoded `GET /v1/markets/{id}` body, current when `builtAt` is `asOf`
        /// (publishing sets `builtAt` to -infinity).
        var bodies: [ByteBuffer?] = []
        var builtAt: [EpochSeconds] = []
        /// Per market: the poll statistics of its sources, as last published.
        var marketFeeds: [[String: FeedStatistics]] = []
        /// Market id -> index in `markets`.
        var index: [String: Int] = [:]
        /// How long a published answer may be acted on, seconds (`validUntil` = `asOf` + this).
        var validitySeconds: Double = 0
        /// `GET /v1/markets` and `GET /v1/health` bodies, nil until read after a change or tick.
        var allMarketsJSON: ByteBuffer?
        var healthJSON: ByteBuffer?
        /// Poll statistics of every polled source.
        public var feeds: [FeedStatistics] = []
        /// Recent samples per market for the status page's charts, oldest first.
        public var history: [String: [HistorySample]] = [:]
        /// Per market id: its margin model's backtest, as of the last window finished.
        public var models: [String: BacktestReport] = [:]

        /// The body of market `id` as of `asOf`, re-encoded when it was built earlier.
        mutating func body(_ id: String) -> ByteBuffer? {
            guard let i = index[id], served[i] else { return nil }
            if builtAt[i] == asOf, let cached = bodies[i] { return cached }
            let body = ByteBuffer(
                bytes: MarketDocument.bytes(
                    markets[i].at(asOf),
                    validUntil: asOf + validitySeconds,
                    feeds: marketFeeds[i],
                    model: models[id]
                )
            )
            bodies[i] = body
            builtAt[i] = asOf
            return body
        }

        /// True when market `id` has been published.
        func isServed(_ id: String) -> Bool { index[id].map { served[$0] } ?? false }
    }

    private let state = Mutex(Published())

    public init() {}

    /// Everything published, every market read at `asOf`.
    public var current: Published {
        state.withLock { p in
            var copy = p
            for i in copy.markets.indices where copy.markets[i].asOf != p.asOf {
                copy.markets[i] = copy.markets[i].at(p.asOf)
            }
            return copy
        }
    }

    func update(_ body: (inout Published) -> Void) { state.withLock { body(&$0) } }

    func marketJSON(_ id: String) -> ByteBuffer? { state.withLock { $0.body(id) } }

    /// `GET /v1/markets`: every market's body, built once per change or tick: `{"asOf":...,
    /// "markets":[...]}` (keys in the encoder's sorted order) around the cached market bodies.
    func allMarketsJSON() -> ByteBuffer {
        state.withLock { p in
            if let cached = p.allMarketsJSON { return cached }
            var out = ByteBuffer(string: "{\"asOf\":")
            out.writeBytes(WireJSON.encode(RFC3339.format(p.asOf)))
            out.writeString(",\"markets\":[")
            for (i, m) in p.markets.enumerated() {
                if i > 0 { out.writeString(",") }
                if var body = p.body(m.id) { out.writeBuffer(&body) } else { out.writeString("null") }
            }
            out.writeString("]}")
            p.allMarketsJSON = out
            return out
        }
    }

    /// `GET /v1/health`, built once per change or tick (its ages are computed from `asOf`).
    func healthJSON() -> ByteBuffer {
        state.withLock { p in
            if let cached = p.healthJSON { return cached }
            let body = ByteBuffer(bytes: WireJSON.encode(HealthDocument(markets: p.markets, asOf: p.asOf)))
            p.healthJSON = body
            return body
        }
    }
}
