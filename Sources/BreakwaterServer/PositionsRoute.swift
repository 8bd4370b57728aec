import BreakwaterEngine
import BreakwaterStore
import BreakwaterStress
import BreakwaterWire
import Hummingbird
import Logging
import NIOCore

/// `POST /v1/positions`: the positions token, a snapshot of up to `bodyLimit` bytes read off the
/// cooperative pool, each bad item refused by its path and the rest held (202).
struct PositionsRoute {
    let book: PositionBook
    let knownMarkets: Set<String>
    let tokens: TokenBook
    let limiter: RateLimiter
    /// Where snapshots are read and stress passes run: a thread of its own.
    let worker: StorageQueue
    /// How far ahead of this clock a snapshot's `asOf` may be, seconds.
    let clockSkewSeconds: Double
    let logger: Logger
    let now: @Sendable () -> EpochSeconds

    /// Largest snapshot body, bytes (a million positions without accounts is about 60 MB).
    static let bodyLimit = 64 << 20
    /// Refusals listed in an answer; `rejectedCount` counts them all.
    static let listedRefusals = 1000

    func register(on router: Router<ClientRequestContext>) {
        router.post("/v1/positions") { req, ctx in
            // Token and rate from the headers: a refused caller costs no body read.
            try tokens.requirePositions(req, client: ctx.clientAddress)
            try limiter.take("the positions token", now: now())
            let buffer = try await RequestBodies.collect(req, limit: Self.bodyLimit)
            let known = knownMarkets
            let reading = try await worker.run { () -> Result<PositionSnapshotReading, PositionSnapshotError> in
                buffer.withUnsafeReadableBytes { raw in
                    Result { () throws(PositionSnapshotError) in
                        try PositionSnapshotReader.read(raw.bindMemory(to: UInt8.self), knownMarkets: known)
                    }
                }
            }
            let accepted: PositionSnapshotReading
            switch reading {
            case let .success(r): accepted = r
            case let .failure(e): throw APIError.badRequest(e.path.isEmpty ? "body" : e.path, e.message)
            }
            let at = now()
            guard accepted.snapshot.asOf <= at + clockSkewSeconds else {
                throw APIError.badRequest(
                    "asOf",
                    "\(RFC3339.format(accepted.snapshot.asOf)) is ahead of this clock (\(RFC3339.format(at)))"
                )
            }
            book.apply(accepted.snapshot)
            logger.info(
                "positions snapshot accepted",
                metadata: [
                    "asOf": "\(RFC3339.format(accepted.snapshot.asOf))",
                    "markets": "\(accepted.snapshot.markets.count)",
                    "positions": "\(accepted.snapshot.positionCount)",
                    "refused": "\(accepted.refusals.count)",
                ]
            )
            let document = PositionsResultDocument(
                asOf: RFC3339.format(accepted.snapshot.asOf),
                markets: accepted.snapshot.markets.map(\.market),
                accepted: accepted.snapshot.positionCount,
                rejectedCount: accepted.refusals.count,
                rejected: Array(accepted.refusals.prefix(Self.listedRefusals))
            )
            return Response(
                status: .accepted,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: WireJSON.encode(document)))
            )
        }
    }
}

/// `POST /v1/positions` (202): the markets whose books were replaced, the positions held from
/// this snapshot, and each refused item by its path (the first `listedRefusals`; `rejectedCount`
/// counts all).
struct PositionsResultDocument: Encodable {
    var asOf: String
    var markets: [String]
    var accepted: Int
    var rejectedCount: Int
    var rejected: [PositionRefusal]
}
