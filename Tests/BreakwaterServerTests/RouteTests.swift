import BreakwaterConfig
import BreakwaterEngine
import BreakwaterServer
import BreakwaterWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import Prometheus
import Testing

struct RouteTests {
    static let config = """
        {"server": {"port": 0, "adminTokenEnv": "ADMIN", "adminRequestsPerSecond": 2}, "storage": {"path": "STORAGE"},
         "markets": [{"id": "BTC-USD", "sources": [
            {"id": "a", "kind": "push", "tokenEnv": "TA"}, {"id": "b", "kind": "push", "tokenEnv": "TB"},
            {"id": "c", "kind": "push", "tokenEnv": "TC"}], "aggregation": {"minSources": 2, "maxAgeMs": 10000}}]}
        """

    /// A server on `config` with its storage at `storagePath` (a fresh file by default), recording
    /// its metrics in `registry`.
    func makeServer(
        adminRate: String = "2",
        storagePath: String? = nil,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        clock: @escaping @Sendable () -> EpochSeconds = BreakwaterServer.now
    ) async throws -> BreakwaterServer {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-routes-\(UUID().uuidString)")
        let path = storagePath ?? dir.appendingPathComponent("state.sqlite").path
        let cfg = try ConfigLoader.parse(
            Data(
                Self.config.replacingOccurrences(of: "STORAGE", with: path)
                    .replacingOccurrences(
                        of: "\"adminRequestsPerSecond\": 2",
                        with: "\"adminRequestsPerSecond\": \(adminRate)"
                    ).utf8
            )
        )
        let server = try BreakwaterServer(
            config: cfg,
            environment: [
                "ADMIN": "admin-token-for-tests", "TA": "token-of-source-a", "TB": "token-of-source-b",
                "TC": "token-of-source-c",
            ],
            registry: registry,
            logger: Logger(label: "test"),
            clock: clock
        )
        try await server.connectAlerting()
        await server.monitor.tick(now: clock())
        return server
    }

    func push(
        _ client: some TestClientProtocol,
        source: String,
        token: String,
        body: String
    ) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(
            uri: "/v1/prices",
            method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(string: body)
        ) { ($0.status, String(buffer: $0.body)) }
    }

    @Test func pushAggregatesAndServesTheMarket() async throws {
        // The server's clock is the test's: a loaded machine's pauses cannot end the warming early.
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await makeServer(clock: { clock.now })
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            func pushAll(at time: Double) async throws {
                for (s, p) in [("a", 100.0), ("b", 101.0), ("c", 102.0)] {
                    let (status, body) = try await push(
                        client,
                        source: s,
                        token: "token-of-source-\(s)",
                        body:
                            "{\"source\":\"\(s)\",\"prices\":[{\"market\":\"BTC-USD\",\"price\":\(p),\"timestamp\":\(time)},{\"market\":\"ETH-USD\",\"price\":1,\"timestamp\":\(time)}]}"
                    )
                    #expect(status == .accepted)
                    #expect(body.contains("\"accepted\":1") && body.contains("\"index\":1"))
                }
            }
            /// Checks the market's state; returns its breaker's until-time.
            func expectMarket(state: String, trading: String) async throws -> EpochSeconds? {
                try await client.execute(uri: "/v1/markets/BTC-USD", method: .get) { r in
                    #expect(r.status == .ok)
                    let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                    let breaker = json["breaker"] as? [String: Any]
                    #expect(json["price"] as? Double == 101)
                    #expect(breaker?["state"] as? String == state, "\(breaker ?? [:])")
                    #expect((json["actions"] as? [String: Any])?["trading"] as? String == trading)
                    // Trusted only once open: not while warming, even with a quorum of fresh quotes.
                    #expect((json["oracle"] as? [String: Any])?["trusted"] as? Bool == (state == "normal"))
                    return (breaker?["until"] as? String).flatMap { RFC3339.parse($0) }
                }
            }
            try await pushAll(at: clock.now)
            // Warming lasts the market's max age (10 s) from the start, quorum or not. Fresh
            // quotes a second before it ends, then the clock past its end: normal.
            let warmingEnds = try #require(try await expectMarket(state: "limit", trading: "reduce-only"))
            clock.now = warmingEnds - 1
            await server.monitor.tick(now: clock.now)
            try await pushAll(at: clock.now)
            clock.now = warmingEnds + 0.5
            await server.monitor.tick(now: clock.now)
            _ = try await expectMarket(state: "normal", trading: "open")
        }
    }

    /// After a restart with no quote yet, a market still says what it last traded at (and
    /// when): the last good price is stored with the market's state.
    @Test func theLastGoodPriceSurvivesARestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bw-restart-\(UUID().uuidString).sqlite"
        ).path
        let first = try await makeServer(storagePath: path)
        let pushedAt = BreakwaterServer.now()
        try await Application(router: first.router()).test(.router) { client in
            for (s, p) in [("a", 100.0), ("b", 101.0), ("c", 102.0)] {
                let (status, _) = try await push(
                    client,
                    source: s,
                    token: "token-of-source-\(s)",
                    body:
                        "{\"source\":\"\(s)\",\"prices\":[{\"market\":\"BTC-USD\",\"price\":\(p),\"timestamp\":\(pushedAt)}]}"
                )
                #expect(status == .accepted)
            }
        }
        await first.monitor.tick(now: BreakwaterServer.now())
        let second = try await makeServer(storagePath: path)
        try await Application(router: second.router()).test(.router) { client in
            try await client.execute(uri: "/v1/markets/BTC-USD", method: .get) { r in
                let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                #expect(json["price"] is NSNull, "no quote since the restart")
                #expect(json["lastGoodPrice"] as? Double == 101, "\(json)")
                let time = (json["lastGoodPriceTime"] as? String).flatMap { RFC3339.parse($0) }
                #expect(time.map { abs($0 - pushedAt) < 0.002 } == true, "\(json["lastGoodPriceTime"] ?? "none")")
            }
        }
    }

    @Test func badInputGetsItsStatusAndJSONError() async throws {
        let server = try await makeServer(adminRate: "100")
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            func expectError(
                _ status: HTTPResponse.Status,
                _ code: String,
                uri: String,
                method: HTTPRequest.Method = .post,
                headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer token-of-source-a"],
                body: String = ""
            ) async throws {
                try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body)) {
                    r in
                    #expect(r.status == status, "\(method) \(uri) \(body.prefix(40))")
                    #expect(String(buffer: r.body).contains("\"code\":\"\(code)\""), "\(String(buffer: r.body))")
                }
            }
            try await expectError(.badRequest, "invalid_json", uri: "/v1/prices", body: "{\"source\":")
            try await expectError(
                .badRequest,
                "invalid_json",
                uri: "/v1/prices",
                body: "{\"source\":\"a\",\"prices\":[{\"price\":NaN}]}"
            )
            try await expectError(
                .badRequest,
                "invalid_request",
                uri: "/v1/prices",
                body: "{\"source\":\"a\",\"prices\":\"x\"}"
            )
            try await expectError(
                .unsupportedMediaType,
                "unsupported_media_type",
                uri: "/v1/prices",
                headers: [.contentType: "text/plain", .authorization: "Bearer token-of-source-a"],
                body: "x"
            )
            try await expectError(
                .unauthorized,
                "unauthorized",
                uri: "/v1/prices",
                headers: [.contentType: "application/json"],
                body: "{\"source\":\"a\",\"prices\":[]}"
            )
            try await expectError(.forbidden, "forbidden", uri: "/v1/prices", body: "{\"source\":\"b\",\"prices\":[]}")
            try await expectError(
                .contentTooLarge,
                "payload_too_large",
                uri: "/v1/markets/BTC-USD/halt",
                headers: [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"],
                body: String(repeating: "a", count: 1_100_000)
            )
            try await expectError(.notFound, "unknown_market", uri: "/v1/markets/NOPE", method: .get)
            try await expectError(.notFound, "not_found", uri: "/nope", method: .get)
            try await expectError(.methodNotAllowed, "method_not_allowed", uri: "/v1/markets", method: .delete)
            // A push token is valid but may not act (403); an unknown token is not valid (401).
            try await expectError(.forbidden, "forbidden", uri: "/v1/markets/BTC-USD/halt", body: "{\"reason\":\"x\"}")
            try await expectError(
                .unauthorized,
                "unauthorized",
                uri: "/v1/markets/BTC-USD/halt",
                headers: [.contentType: "application/json", .authorization: "Bearer nope"],
                body: "{\"reason\":\"x\"}"
            )
            try await expectError(
                .badRequest,
                "invalid_request",
                uri: "/v1/markets/BTC-USD/halt",
                headers: [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"],
                body: "{\"reason\":\"x\",\"durationSeconds\":\"60\"}"
            )
            // A media type that only starts like JSON is not JSON.
            for type in ["application/jsonx", "application/json-patch+json"] {
                try await expectError(
                    .unsupportedMediaType,
                    "unsupported_media_type",
                    uri: "/v1/prices",
                    headers: [.contentType: type, .authorization: "Bearer token-of-source-a"],
                    body: "{\"source\":\"a\",\"prices\":[]}"
                )
            }
            // A halt reason is one readable line: no control or direction-override characters, at most 500 characters.
            let admin: HTTPFields = [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"]
            for reason in [
                #"x\n2026-12-03 info breakwater: audit=true"#, #"\u001b[31mred"#, #"abc\u202Edef"#,
                String(repeating: "r", count: 501),
            ] {
                try await expectError(
                    .badRequest,
                    "invalid_request",
                    uri: "/v1/markets/BTC-USD/halt",
                    headers: admin,
                    body: "{\"reason\":\"\(reason)\"}"
                )
            }
            var longActor = admin
            longActor[HTTPField.Name("X-Breakwater-Actor")!] = String(repeating: "a", count: 101)
            try await expectError(
                .badRequest,
                "invalid_request",
                uri: "/v1/markets/BTC-USD/halt",
                headers: longActor,
                body: #"{"reason":"x"}"#
            )
            // Still serving after all that.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func haltAndResumeRefusedWhileUntrusted() async throws {
        let server = try await makeServer()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            let admin: HTTPFields = [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"]
            try await client.execute(
                uri: "/v1/markets/BTC-USD/halt",
                method: .post,
                headers: admin,
                body: ByteBuffer(string: "{\"reason\":\"drill\"}")
            ) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains("\"state\":\"halted\""))
            }
            // No quotes at all: the oracle is still warming/untrusted, so resume is refused.
            await server.monitor.tick(now: BreakwaterServer.now() + 60)
            try await client.execute(uri: "/v1/markets/BTC-USD/resume", method: .post, headers: admin) { r in
                #expect(r.status == .conflict)
                #expect(String(buffer: r.body).contains("oracle_untrusted"))
            }
        }
    }

    @Test func readsCanBeProtected() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-reads-\(UUID().uuidString)")
        let json = Self.config.replacingOccurrences(
            of: "\"adminTokenEnv\": \"ADMIN\"",
            with: "\"adminTokenEnv\": \"ADMIN\", \"readTokenEnv\": \"READ\", \"protectReads\": true"
        )
        .replacingOccurrences(of: "STORAGE", with: dir.appendingPathComponent("s.sqlite").path)
        let cfg = try ConfigLoader.parse(Data(json.utf8))
        let server = try BreakwaterServer(
            config: cfg,
            environment: ["ADMIN": "admin-token-for-tests", "READ": "read-token-for-tests", "TA": "token-of-source-a"],
            registry: PrometheusCollectorRegistry(),
            logger: Logger(label: "test")
        )
        await server.monitor.tick(now: BreakwaterServer.now())
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            for uri in ["/v1/markets/BTC-USD", "/v1/health", "/metrics", "/"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .unauthorized, "\(uri)") }
                try await client.execute(
                    uri: uri,
                    method: .get,
                    headers: [.authorization: "Bearer read-token-for-tests"]
                ) { #expect($0.status == .ok, "\(uri)") }
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok, "liveness stays open") }
            try await client.execute(
                uri: "/v1/markets/BTC-USD/halt",
                method: .post,
                headers: [.authorization: "Bearer read-token-for-tests", .contentType: "application/json"],
                body: ByteBuffer(string: "{\"reason\":\"x\"}")
            ) { #expect($0.status == .forbidden, "read token cannot halt") }
            // A push source's token is valid but may not act: 403, not 401.
            try await client.execute(
                uri: "/v1/markets/BTC-USD/halt",
                method: .post,
                headers: [.authorization: "Bearer token-of-source-a", .contentType: "application/json"],
                body: ByteBuffer(string: "{\"reason\":\"x\"}")
            ) { #expect($0.status == .forbidden, "push token cannot halt") }
        }
    }

    @Test func adminRequestsBeyondTheLimitGet429WithRetryAfter() async throws {
        // 0.01 requests/s: the burst (at least one request) passes, and nothing refills during the
        // test however slow the machine is.
        let server = try await makeServer(adminRate: "0.01")
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            let admin: HTTPFields = [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"]
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: String?
            for _ in 0..<8 {
                try await client.execute(uri: "/v1/markets/BTC-USD/sources/a/disable", method: .post, headers: admin) {
                    r in
                    statuses.append(r.status)
                    if r.status == .tooManyRequests {
                        retryAfter = r.headers[.retryAfter]
                        #expect(String(buffer: r.body).contains("\"code\":\"rate_limited\""))
                    }
                }
            }
            #expect(statuses.first == .ok, "the burst passes: \(statuses)")
            #expect(statuses.dropFirst().allSatisfy { $0 == .tooManyRequests }, "\(statuses)")
            #expect(statuses.contains(.tooManyRequests))
            #expect(retryAfter != nil)
        }
    }

    @Test func metricsAndOpenAPIAndStatusPage() async throws {
        let server = try await makeServer()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.status == .ok)
                let text = String(buffer: r.body)
                #expect(text.contains("breakwater_market_breaker_state{market=\"BTC-USD\",state=\"limit\"} 1"))
                #expect(text.contains("breakwater_source_up{market=\"BTC-USD\",source=\"a\",kind=\"push\"} 0"))
            }
            try await client.execute(uri: "/openapi.json", method: .get) { r in
                let doc = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                #expect(doc["openapi"] as? String == "3.1.0")
                let paths = doc["paths"] as! [String: Any]
                for p in ["/v1/markets/{id}", "/v1/prices", "/v1/markets/{id}/halt", "/metrics", "/readyz"] {
                    #expect(paths[p] != nil, "\(p)")
                }
            }
            try await client.execute(uri: "/", method: .get) { r in
                #expect(String(buffer: r.body).contains("<title>Breakwater</title>"))
                #expect(
                    !String(buffer: r.body).contains("http://") && !String(buffer: r.body).contains("https://"),
                    "no external assets"
                )
                #expect(!String(buffer: r.body).contains("id=\"notice\""))
            }
        }
        // demo's banner, escaped.
        var demo = server
        demo.statusNotice = "DEMO: <synthetic> prices"
        try await Application(router: demo.router()).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { r in
                #expect(
                    String(buffer: r.body).contains("</header><div id=\"notice\"")
                        && String(buffer: r.body).contains("DEMO: &lt;synthetic&gt; prices</div>")
                )
            }
        }
    }
}

struct OpenAPIDocumentTests {
    @Test func servedDocumentMatchesTheRepositoryCopy() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let fileData = try Data(contentsOf: root.appendingPathComponent("docs/openapi.json"))
        let server = try await RouteTests().makeServer()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { r in
                let file = try JSONSerialization.jsonObject(with: fileData) as! NSDictionary
                let served = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! NSDictionary
                let same = served == file
                #expect(same, "run scripts/openapi-sync.sh after editing docs/openapi.json")
            }
        }
    }
}
