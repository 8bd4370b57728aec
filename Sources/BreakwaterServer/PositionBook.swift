public import BreakwaterStress
import Synchronization

/// The protocol's positions as last posted (`POST /v1/positions`), held in memory only: a
/// restart starts with none until the protocol posts again.
///
/// Invariants: each market holds the book of the last snapshot that named it (a snapshot
/// replaces the books it names and leaves the others); the insurance fund is the last
/// snapshot's; `asOf` per market is the time of the snapshot its book came from (unix seconds).
public final class PositionBook: Sendable {
    /// One market's held book and when it was taken.
    public struct Held: Sendable, Equatable {
        public var book: MarketBook
        /// The `asOf` of the snapshot it came from, unix seconds.
        public var asOf: Double
    }

    /// Everything held, read in one piece.
    public struct Contents: Sendable, Equatable {
        /// Market id -> its book.
        public var markets: [String: Held] = [:]
        /// Insurance fund balance, quote currency; nil before the first snapshot.
        public var insuranceFund: Double?
        /// `asOf` of the last snapshot accepted, unix seconds; nil before the first.
        public var lastAsOf: Double?
        /// Counts every snapshot accepted: a pass can tell whether anything changed since its last.
        public var version = 0

        /// The oldest `asOf` among the held books (the snapshot's own when it named none).
        public var oldestAsOf: Double? { markets.values.map(\.asOf).min() ?? lastAsOf }

        /// Positions held over all markets.
        public var positionCount: Int { markets.values.reduce(0) { $0 + $1.book.positions.count } }
    }

    private let state = Mutex(Contents())

    public init() {}

    public var contents: Contents { state.withLock { $0 } }

    /// `Contents.version`, without copying the rest.
    public var version: Int { state.withLock { $0.version } }

    /// Takes `snapshot`: each market it names replaces that market's book, the fund is its fund.
    public func apply(_ snapshot: PositionSnapshot) {
        state.withLock { s in
            for book in snapshot.markets { s.markets[book.market] = Held(book: book, asOf: snapshot.asOf) }
            s.insuranceFund = snapshot.insuranceFund
            s.lastAsOf = snapshot.asOf
            s.version += 1
        }
    }
}
