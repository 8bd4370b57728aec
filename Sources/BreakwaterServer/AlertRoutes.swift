import BreakwaterAlerts
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterWire
import Hummingbird
import Logging

/// `GET /v1/alerts`, `GET /v1/alerts/{id}` (with every destination's delivery attempts) and
/// `POST /v1/alerts/test` (admin), and `GET /v1/destinations` (each destination's delivery state).
struct AlertRoutes {
    let alerting: Alerting?
    /// The configured destinations, in configuration order.
    let destinations: [WebhookConfig]
    let tokens: TokenBook
    let adminLimit: RateLimiter
    let logger: Logger
    let now: @Sendable () -> EpochSeconds

    static let table: [(pattern: [Substring], methods: [HTTPRequest.Method])] = [
        (["v1", "alerts"], [.get]), (["v1", "alerts", "test"], [.post]), (["v1", "alerts", "*"], [.get]),
        (["v1", "destinations"], [.get]),
    ]

    func require() throws -> Alerting {
        guard let alerting else {
            throw APIError(.serviceUnavailable, "storage_unavailable", "alert storage is not available; see /readyz")
        }
        return alerting
    }

    func register(on router: Router<ClientRequestContext>) {
        router.get("/v1/alerts") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            let a = try require()
            let q = req.uri.queryParameters
            var status: AlertStatus?
            if let s = q["status"] {
                guard let v = AlertStatus(rawValue: String(s)) else {
                    throw APIError.badRequest("status", "expected firing or resolved")
                }
                status = v
            }
            var limit = 100
            if let l = q["limit"] {
                guard let v = Int(String(l)), (1...1000).contains(v) else {
                    throw APIError.badRequest("limit", "expected a whole number in 1...1000")
                }
                limit = v
            }
            let page: AlertPage
            let (market, type, cursor) = (
                q["market"].map(String.init), q["type"].map(String.init), q["cursor"].map(String.init)
            )
            let (wanted, count) = (status, limit)
            do {
                page = try await a.store.reading {
                    try $0.listAlerts(status: wanted, market: market, type: type, limit: count, cursor: cursor)
                }
            } catch let e as RiskStateStore.InvalidCursor {
                throw APIError.badRequest("cursor", "\(e)")
            }
            return Self.json(
                AlertPageDocument(alerts: page.alerts.map { AlertDocument(record: $0) }, nextCursor: page.nextCursor)
            )
        }
        router.get("/v1/alerts/:id") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            let id = try ctx.parameters.decoded("id")
            guard let detail = try await require().store.reading({ try $0.alert(id: id) }) else {
                throw APIError(.notFound, "unknown_alert", "unknown alert \"\(APIError.echo(id))\"")
            }
            return Self.json(AlertDocument(record: detail.alert, notifications: detail.notifications))
        }
        router.get("/v1/destinations") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            let store = try require().store
            let last = try await store.reading { try $0.lastAttempts() }
            return Self.json(DestinationsDocument(webhooks: destinations, counts: store.outboxCounts(), last: last))
        }
        router.post("/v1/alerts/test") { req, ctx in
            let who = try tokens.requireAdmin(req, client: ctx.clientAddress)
            try adminLimit.take("the admin token", now: now())
            let center = try require().center
            let alert = try await RiskStateStore.withWriteDeadline {
                try await center.sendTest(now: now(), requestedBy: who)
            }
            logger.notice(
                "operator action",
                metadata: ["audit": "true", "actor": "\(who)", "action": "test-alert", "alert": "\(alert.id)"]
            )
            return Self.json(AlertDocument(record: alert.record), status: .accepted)
        }
    }

    static func json(_ document: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: WireJSON.encode(document)))
        )
    }
}
