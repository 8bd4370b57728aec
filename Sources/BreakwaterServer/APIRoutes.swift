import BreakwaterEngine
import BreakwaterWire
import Foundation
import Hummingbird
import Logging
import Synchronization

/// The HTTP API. Reads serve the board's pre-encoded snapshots; writes go through the Monitor.
struct APIRoutes {
    let monitor: Monitor
    let board: SnapshotBoard
    let tokens: TokenBook
    let limits: RateLimits
    let readiness: Readiness
    let metrics: MetricsRenderer
    let logger: Logger
    let now: @Sendable () -> EpochSeconds
    /// The status page, rendered once (with its notice, if any).
    let statusPage: String

    /// Paths and methods, for 405 answers and the OpenAPI test.
    static let table: [(pattern: [Substring], methods: [HTTPRequest.Method])] = [
        (["healthz"], [.get]), (["readyz"], [.get]), (["metrics"], [.get]), (["openapi.json"], [.get]), ([], [.get]),
        (["v1", "health"], [.get]), (["v1", "markets"], [.get]), (["v1", "markets", "*"], [.get]),
        (["v1", "markets", "*", "history"], [.get]),
        (["v1", "prices"], [.post]), (["v1", "markets", "*", "halt"], [.post]),
        (["v1", "markets", "*", "resume"], [.post]),
        (["v1", "markets", "*", "sources", "*", "disable"], [.post]),
        (["v1", "markets", "*", "sources", "*", "enable"], [.post]),
    ]

    func json(_ buffer: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: buffer)
        )
    }

    func json(_ document: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        json(ByteBuffer(bytes: WireJSON.encode(document)), status: status)
    }

    func register(on router: Router<ClientRequestContext>) {
        router.get("/healthz") { _, _ in json(StatusDocument(status: "ok")) }
        router.get("/readyz") { _, _ in
            let reason = readiness.notReadyReason()
            return reason.map { json(StatusDocument(status: "not_ready", reason: $0), status: .serviceUnavailable) }
                ?? json(StatusDocument(status: "ready"))
        }
        router.get("/v1/health") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            return json(board.healthJSON())
        }
        router.get("/v1/markets") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            return json(board.allMarketsJSON())
        }
        router.get("/v1/markets/:id") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            let id = try ctx.parameters.decoded("id")
            guard let body = board.marketJSON(id) else {
                throw APIError(.notFound, "unknown_market", "unknown market \"\(APIError.echo(id))\"")
            }
            return json(body)
        }
        router.get("/v1/markets/:id/history") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            let id = try ctx.parameters.decoded("id")
            let published = board.current
            guard published.isServed(id) else {
                throw APIError(.notFound, "unknown_market", "unknown market \"\(APIError.echo(id))\"")
            }
            return json(HistoryDocument(id: id, history: published.history[id] ?? MarketHistory(sourceIDs: [])))
        }
        router.post("/v1/prices") { req, ctx in
            // Who may write, and at what rate, is known from the headers: a caller refused here
            // (401, 403, 429) costs no body read.
            let source = try tokens.requirePush(req, client: ctx.clientAddress)
            try limits.push.take("push source \(source)", now: now())
            let buffer = try await RequestBodies.collect(req, limit: RequestBodies.pricesLimit)
            var written: String
            var quotes: [(Int, PushQuote)]
            var rejected: [(Int, String)]
            if let fast = FastPriceBody.parse(buffer) {
                (written, rejected) = (fast.source, [])
                quotes = fast.quotes.enumerated().map { ($0.offset, $0.element) }
            } else {
                (written, quotes, rejected) = try RequestBodies.prices(try RequestBodies.decode(buffer))
            }
            guard written == source else {
                throw APIError(
                    .forbidden,
                    "forbidden",
                    "this token is push source \(WireJSON.string(source))'s and may not write \(WireJSON.string(APIError.echo(written)))"
                )
            }
            let result = await monitor.ingestPush(source: source, quotes: quotes.map(\.1), now: now())
            if let failure = result.notStored {
                throw APIError.notStored(
                    failure,
                    "quotes applied, but storage fails (\(failure.reason)): their alerts and the markets' state wait for it; see /readyz, then retry"
                )
            }
            rejected += result.rejected.map { (quotes[$0.0].0, $0.1) }
            rejected.sort { $0.0 < $1.0 }
            let refused = rejected.map { PushResultDocument.Rejection(index: $0.0, reason: $0.1) }
            return json(PushResultDocument(accepted: result.accepted, rejected: refused), status: .accepted)
        }
        router.post("/v1/markets/:id/halt") { req, ctx in
            let who = try tokens.requireAdmin(req, client: ctx.clientAddress)
            try limits.admin.take("the admin token", now: now())
            let id = try ctx.parameters.decoded("id")
            let body = try RequestBodies.halt(try await RequestBodies.json(req))
            try await operate(
                id,
                audit: {
                    audit(
                        who,
                        "halt",
                        id,
                        [
                            "reason": "\(body.reason)",
                            "durationSeconds": "\(body.durationSeconds.map { String($0) } ?? "until resumed")",
                        ]
                    )
                }
            ) {
                try await monitor.halt(
                    market: id,
                    reason: body.reason,
                    by: who,
                    durationSeconds: body.durationSeconds,
                    now: now()
                )
            }
            return json(board.marketJSON(id)!)
        }
        router.post("/v1/markets/:id/resume") { req, ctx in
            let who = try tokens.requireAdmin(req, client: ctx.clientAddress)
            try limits.admin.take("the admin token", now: now())
            let id = try ctx.parameters.decoded("id")
            _ = try await RequestBodies.json(req, optional: true)
            try await operate(id, audit: { audit(who, "resume", id, [:]) }) {
                try await monitor.resume(market: id, by: who, now: now())
            }
            return json(board.marketJSON(id)!)
        }
        for (action, enabled) in [("disable", false), ("enable", true)] {
            router.post("/v1/markets/:id/sources/:source/\(action)") { req, ctx in
                let who = try tokens.requireAdmin(req, client: ctx.clientAddress)
                try limits.admin.take("the admin token", now: now())
                let id = try ctx.parameters.decoded("id")
                let source = try ctx.parameters.decoded("source")
                try await operate(
                    id,
                    source: source,
                    audit: { audit(who, "\(action)-source", id, ["source": "\(source)"]) }
                ) {
                    try await monitor.setSource(market: id, source: source, enabled: enabled, by: who, now: now())
                }
                return json(board.marketJSON(id)!)
            }
        }
        router.get("/metrics") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render(board.current)))
            )
        }
        router.get("/openapi.json") { _, _ in json(ByteBuffer(string: OpenAPIDocument.text)) }
        router.get("/") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: statusPage))
            )
        }
    }

    /// Runs an operator action; `audit` logs it once it has been applied (saved or not).
    private func operate(
        _ id: String,
        source: String? = nil,
        audit: () -> Void,
        _ body: () async throws -> Void
    ) async throws {
        do {
            try await body()
            audit()
        } catch let e as Monitor.OperatorError {
            switch e {
            case .notSaved, .pendingShare: audit()
            default: break
            }
            switch e {
            case .unknownMarket: throw APIError(.notFound, "unknown_market", "unknown market \"\(APIError.echo(id))\"")
            case .unknownSource:
                throw APIError(
                    .notFound,
                    "unknown_source",
                    "market \(APIError.echo(id)) has no source \"\(APIError.echo(source ?? ""))\""
                )
            case let .refused(reason): throw APIError(.conflict, "oracle_untrusted", "resume refused: \(reason)")
            case let .notSaved(failure):
                throw APIError.notStored(
                    failure,
                    "applied, but not saved (\(failure.reason)): it would not survive a restart and its alerts wait for storage; see /readyz, then repeat the request"
                )
            case let .pendingShare(failure):
                throw APIError.notStored(
                    failure,
                    "applied, but the shared store is away (\(failure.reason)): it holds on this replica only until storage returns, then it is written there for every replica (unless another replica changed the same halt or source meanwhile: then theirs stands); see /readyz"
                )
            }
        }
    }

    private func audit(_ who: String, _ action: String, _ market: String, _ extra: Logger.Metadata) {
        var meta: Logger.Metadata = ["audit": "true", "actor": "\(who)", "action": "\(action)", "market": "\(market)"]
        meta.merge(extra) { a, _ in a }
        logger.notice("operator action", metadata: meta)
    }
}

/// The request rate limits of push sources and the admin token.
struct RateLimits: Sendable {
    let push: RateLimiter
    let admin: RateLimiter
}

/// Readiness: config loaded, storage open and writable, server listening; market health
/// does not matter here (a halted market is information to serve).
public final class Readiness: Sendable {
    private struct State {
        var listening = false
        var storageProblem: String?
    }
    private let state = Mutex(State())
    public init() {}
    public func notReadyReason() -> String? {
        state.withLock { s in s.storageProblem ?? (s.listening ? nil : "starting") }
    }
    public func set(listening: Bool) { state.withLock { $0.listening = listening } }
    public func set(storageProblem: String?) { state.withLock { $0.storageProblem = storageProblem } }
}
