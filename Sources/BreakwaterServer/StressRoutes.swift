import BreakwaterEngine
import BreakwaterStore
import BreakwaterStress
import BreakwaterWire
import Hummingbird
import NIOCore

/// `GET /v1/stress` (the latest live pass), `GET /v1/markets/{id}/liquidations` (one market's
/// map from it) and `POST /v1/stress` (a scenario evaluated on demand on the latest positions,
/// not stored). Reads need the read token when reads are protected.
struct StressRoutes {
    let results: StressBoard
    let knownMarkets: Set<String>
    let tokens: TokenBook
    let worker: StorageQueue
    let now: @Sendable () -> EpochSeconds

    static let table: [(pattern: [Substring], methods: [HTTPRequest.Method])] = [
        (["v1", "positions"], [.post]), (["v1", "stress"], [.get, .post]),
        (["v1", "markets", "*", "liquidations"], [.get]),
    ]

    static let noPositions = APIError(
        .notFound,
        "no_positions",
        "no stress results yet: post a positions snapshot (POST /v1/positions); a pass follows within stress.intervalSeconds"
    )

    func json(_ buffer: ByteBuffer) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: buffer)
        )
    }

    func register(on router: Router<ClientRequestContext>) {
        router.get("/v1/stress") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            guard let body = results.json() else { throw Self.noPositions }
            return json(body)
        }
        router.get("/v1/markets/:id/liquidations") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            let id = try ctx.parameters.decoded("id")
            guard knownMarkets.contains(id) else {
                throw APIError(.notFound, "unknown_market", "unknown market \"\(APIError.echo(id))\"")
            }
            guard let report = results.report else { throw Self.noPositions }
            guard let m = report.report.markets.first(where: { $0.market == id }) else {
                let why =
                    report.skipped.first { $0.market == id }?.reason ?? "the latest snapshot has no positions for it"
                throw APIError(.notFound, "no_positions", "market \(APIError.echo(id)) was not stressed: \(why)")
            }
            let document = LiquidationsDocument(
                market: id,
                computedAt: report.computedAt,
                positionsAsOf: report.positionsAsOf,
                stale: report.stale,
                map: m.map,
                figures: report.figures.first { $0.market == id }
            )
            return json(ByteBuffer(bytes: WireJSON.encode(document)))
        }
        router.post("/v1/stress") { req, ctx in
            try tokens.requireRead(req, client: ctx.clientAddress)
            let request = try StressRequest.read(try await RequestBodies.json(req), knownMarkets: knownMarkets)
            guard let book = results.book, let report = results.report else { throw Self.noPositions }
            let evaluated = try await worker.run {
                request.impacts.map { book.evaluate(Scenario(shocks: request.shocks, impact: $0)) }
            }
            let document = ScenarioDocument(
                computedAt: now(),
                positionsAsOf: report.positionsAsOf,
                stale: report.stale,
                notStressed: request.shocks.keys.filter { book.book($0) == nil }.sorted(),
                results: evaluated
            )
            return json(ByteBuffer(bytes: WireJSON.encode(document)))
        }
    }
}

/// `GET /v1/markets/{id}/liquidations`: the market's liquidation map from the latest pass.
struct LiquidationsDocument: Encodable {
    var market: String
    var computedAt: Double
    var positionsAsOf: Double
    var stale: Bool
    var map: LiquidationMap
    var figures: LiveMarketFigures?

    enum Key: String, CodingKey { case market, computedAt, positionsAsOf, stale, map, figures }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(market, forKey: .market)
        try c.encodeTime(computedAt, forKey: .computedAt)
        try c.encodeTime(positionsAsOf, forKey: .positionsAsOf)
        try c.encode(stale, forKey: .stale)
        try c.encode(map, forKey: .map)
        try c.encodeIfPresent(figures, forKey: .figures)
    }
}

/// `POST /v1/stress`: the scenario's outcome under each impact model asked for, on the
/// positions of the latest pass (not stored).
struct ScenarioDocument: Encodable {
    var computedAt: Double
    var positionsAsOf: Double
    var stale: Bool
    /// Markets the scenario moves that the latest pass could not stress (not in its results).
    var notStressed: [String]
    var results: [ScenarioResult]

    enum Key: String, CodingKey { case computedAt, positionsAsOf, stale, notStressed, results }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeTime(computedAt, forKey: .computedAt)
        try c.encodeTime(positionsAsOf, forKey: .positionsAsOf)
        try c.encode(stale, forKey: .stale)
        try c.encode(notStressed, forKey: .notStressed)
        try c.encode(results, forKey: .results)
    }
}

/// The body of `POST /v1/stress`: `{"shocks": {"BTC-USD": -0.1, "ETH-USD": 0.05}, "impact":
/// "sqrt"}`. Each move is a signed fraction of the market's reference price in (-1, 1)
/// (negative: down); `impact` is `sqrt` or `linear`, both when absent.
struct StressRequest {
    var shocks: [String: Shock]
    var impacts: [ImpactModel]

    static func read(_ value: JSONValue?, knownMarkets: Set<String>) throws -> StressRequest {
        guard case let .object(o)? = value else {
            throw APIError.badRequest("body", "expected {\"shocks\": {\"BTC-USD\": -0.1}, \"impact\": \"sqrt\"}")
        }
        for key in o.keys.sorted() where key != "shocks" && key != "impact" {
            throw APIError.badRequest(key, "unknown field (expected shocks, impact)")
        }
        guard case let .object(moves)? = o["shocks"], !moves.isEmpty else {
            throw APIError.badRequest("shocks", "expected an object of market -> signed move, e.g. {\"BTC-USD\": -0.1}")
        }
        var shocks: [String: Shock] = [:]
        for (market, move) in moves.sorted(by: { $0.key < $1.key }) {
            let path = "shocks.\(APIError.echo(market))"
            // 404 like every other route that names a market not configured.
            guard knownMarkets.contains(market) else {
                throw APIError(.notFound, "unknown_market", "\(path): unknown market")
            }
            guard case let .number(s) = move, s.isFinite, s > -1, s < 1 else {
                throw APIError.badRequest(path, "expected a signed fraction in (-1, 1) (-0.1: 10 % down)")
            }
            shocks[market] = Shock(s < 0 ? .down : .up, abs(s))
        }
        var impacts = ImpactModel.allCases
        switch o["impact"] {
        case nil, .null?: break
        case let .string(name)?:
            guard let model = ImpactModel(rawValue: name) else {
                throw APIError.badRequest("impact", "expected sqrt or linear")
            }
            impacts = [model]
        default: throw APIError.badRequest("impact", "expected sqrt or linear")
        }
        return StressRequest(shocks: shocks, impacts: impacts)
    }
}
