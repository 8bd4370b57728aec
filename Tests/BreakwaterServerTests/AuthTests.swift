import BreakwaterConfig
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Synchronization
import Testing

@testable import BreakwaterServer

/// Authentication from the headers alone (401/403/429 before any body byte is read), failed
/// attempts limited per client address, one push token for one push source id.
struct AuthTests {
    let routes = RouteTests()
    static let json: HTTPFields = [.contentType: "application/json"]

    func headers(_ token: String?) -> HTTPFields {
        var h = Self.json
        if let token { h[.authorization] = "Bearer \(token)" }
        return h
    }

    /// A body that would be a 400 if it were read (more quotes than a push may hold).
    static let tooManyQuotes =
        "{\"source\":\"a\",\"prices\":[" + Array(repeating: "{}", count: 10_001).joined(separator: ",") + "]}"

    @Test func aWrongTokenIsRefusedBeforeTheBodyIsRead() async throws {
        let server = try await routes.makeServer()
        try await Application(router: server.router()).test(.router) { client in
            for token in [nil, "nope", "token-of-source-a-but-longer"] {
                try await client.execute(
                    uri: "/v1/prices",
                    method: .post,
                    headers: headers(token),
                    body: ByteBuffer(string: Self.tooManyQuotes)
                ) { r in
                    #expect(r.status == .unauthorized, "\(token ?? "no token")")
                    #expect(String(buffer: r.body).contains("\"code\":\"unauthorized\""))
                }
            }
            // A valid token that is not a push source's: 403, also without reading the body.
            try await client.execute(
                uri: "/v1/prices",
                method: .post,
                headers: headers("admin-token-for-tests"),
                body: ByteBuffer(string: Self.tooManyQuotes)
            ) { r in
                #expect(r.status == .forbidden)
                #expect(String(buffer: r.body).contains("the admin token cannot push prices"))
            }
            // The right token gets the body read: now the 400 about the quote count.
            try await client.execute(
                uri: "/v1/prices",
                method: .post,
                headers: headers("token-of-source-a"),
                body: ByteBuffer(string: Self.tooManyQuotes)
            ) { r in
                #expect(r.status == .badRequest)
                #expect(String(buffer: r.body).contains("10001 quotes"))
            }
        }
    }

    @Test func aPushTokenWritesOnlyItsOwnSource() async throws {
        let server = try await routes.makeServer()
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(
                uri: "/v1/prices",
                method: .post,
                headers: headers("token-of-source-a"),
                body: ByteBuffer(string: "{\"source\":\"b\",\"prices\":[]}")
            ) { r in
                #expect(r.status == .forbidden)
                #expect(
                    String(buffer: r.body).contains(
                        "this token is push source \\\"a\\\"'s and may not write \\\"b\\\""
                    ),
                    "\(String(buffer: r.body))"
                )
            }
        }
    }

    /// Over the server: repeated bad tokens from one address end in 429 with Retry-After, after
    /// at most the burst of 10 plus one per second the requests took (the machine may be slow).
    @Test func repeatedBadTokensFromOneAddressGet429WithRetryAfter() async throws {
        let server = try await routes.makeServer()
        try await Application(router: server.router()).test(.router) { client in
            var unauthorized = 0
            var retryAfter: String?
            let start = Date()
            for i in 0..<200 where retryAfter == nil {
                // Reads and pushes count alike: it is the address that fails.
                try await client.execute(
                    uri: i % 2 == 0 ? "/v1/prices" : "/v1/markets/BTC-USD/halt",
                    method: .post,
                    headers: headers("guess-\(i)"),
                    body: ByteBuffer(string: "{}")
                ) { r in
                    if r.status == .unauthorized { unauthorized += 1 }
                    if r.status == .tooManyRequests { retryAfter = r.headers[.retryAfter] ?? "none" }
                }
            }
            let elapsed = Date().timeIntervalSince(start)
            #expect(retryAfter.flatMap(Int.init).map { $0 >= 1 } == true, "Retry-After: \(retryAfter ?? "no 429")")
            #expect(
                unauthorized >= 10 && Double(unauthorized) <= 10 + elapsed.rounded(.up),
                "\(unauthorized) 401s in \(elapsed) s"
            )
        }
    }

    /// The limit itself, on a clock the test moves: 10 failures, then 429 for that address
    /// whatever its token, other addresses unaffected, refilled after a second; 403s (a valid
    /// token used where it may not be) and requests with no token are not failures.
    @Test func failedAuthenticationsAreLimitedPerAddress() throws {
        let cfg = try ConfigLoader.parse(
            Data(RouteTests.config.replacingOccurrences(of: "STORAGE", with: "unused.sqlite").utf8)
        )
        let clock = Mutex(1_000_000.0)
        let tokens = try TokenBook(
            config: cfg,
            environment: ["ADMIN": "admin-token-for-tests", "TA": "token-of-source-a"],
            now: { clock.withLock { $0 } }
        )
        func push(_ token: String?, from client: String) -> (HTTPResponse.Status, String?) {
            let request = Request(
                head: .init(
                    method: .post,
                    scheme: "http",
                    authority: "x",
                    path: "/v1/prices",
                    headerFields: token.map { [.authorization: "Bearer \($0)"] } ?? [:]
                ),
                body: .init(buffer: ByteBuffer())
            )
            do {
                _ = try tokens.requirePush(request, client: client)
                return (.accepted, nil)
            } catch let e as APIError {
                return (e.status, e.headers[.retryAfter])
            } catch {
                return (.internalServerError, "\(error)")
            }
        }
        for i in 0..<10 { #expect(push("guess-\(i)", from: "10.0.0.1").0 == .unauthorized, "attempt \(i)") }
        let refused = push("guess-10", from: "10.0.0.1")
        #expect(refused.0 == .tooManyRequests && refused.1 == "1", "\(refused)")
        #expect(
            push("token-of-source-a", from: "10.0.0.1").0 == .tooManyRequests,
            "the address is refused whatever its token"
        )
        // No token guesses nothing: 401 (what it lacks), neither limited nor counted.
        for _ in 0..<20 { #expect(push(nil, from: "10.0.0.1").0 == .unauthorized, "no token while over the limit") }
        for _ in 0..<20 { #expect(push(nil, from: "10.0.0.4").0 == .unauthorized) }
        #expect(push("token-of-source-a", from: "10.0.0.4").0 == .accepted, "missing tokens are not counted")
        #expect(push("token-of-source-a", from: "10.0.0.2").0 == .accepted, "another address is not")
        clock.withLock { $0 += 1 }
        #expect(push("token-of-source-a", from: "10.0.0.1").0 == .accepted, "refilled after a second")
        for _ in 0..<20 { #expect(push("admin-token-for-tests", from: "10.0.0.3").0 == .forbidden) }
    }

    @Test func tokensAreTrimmedAndTooShortOnesRefused() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-auth-\(UUID().uuidString)")
        let storage = dir.appendingPathComponent("s.sqlite").path
        let cfg = try ConfigLoader.parse(
            Data(RouteTests.config.replacingOccurrences(of: "STORAGE", with: storage).utf8)
        )
        func server(_ environment: [String: String]) throws -> BreakwaterServer {
            try BreakwaterServer(
                config: cfg,
                environment: environment,
                registry: PrometheusCollectorRegistry(),
                logger: Logger(label: "test")
            )
        }
        // A token file's final newline is not part of the token.
        let trimmed = try server(["TA": "token-of-source-a\n"])
        try await trimmed.connectAlerting()
        await trimmed.monitor.tick(now: BreakwaterServer.now())
        try await Application(router: trimmed.router()).test(.router) { client in
            try await client.execute(
                uri: "/v1/prices",
                method: .post,
                headers: headers("token-of-source-a"),
                body: ByteBuffer(string: "{\"source\":\"a\",\"prices\":[]}")
            ) { r in
                #expect(r.status == .accepted, "\(String(buffer: r.body))")
            }
        }
        #expect(throws: ConfigError.self) { try server(["TA": "short-token"]) }
        let protected = try ConfigLoader.parse(
            Data(
                RouteTests.config.replacingOccurrences(of: "STORAGE", with: storage)
                    .replacingOccurrences(
                        of: "\"adminTokenEnv\": \"ADMIN\"",
                        with: "\"adminTokenEnv\": \"ADMIN\", \"readTokenEnv\": \"READ\", \"protectReads\": true"
                    ).utf8
            )
        )
        do {
            _ = try BreakwaterServer(
                config: protected,
                environment: ["TA": "token-of-source-a"],
                registry: PrometheusCollectorRegistry(),
                logger: Logger(label: "test")
            )
            Issue.record("protectReads without a token that can read was accepted")
        } catch let e as ConfigError {
            #expect(e.issues.map(\.path) == ["server.protectReads"], "\(e)")
        }
    }

    /// Headers of a 4 MiB push with a wrong token, and then no body at all: the answer is a
    /// 401, since the body is never waited for (before, the server waited for the body).
    @Test(.timeLimit(.minutes(1)))
    func aWrongTokenIsAnsweredWithoutWaitingForTheBody() async throws {
        let server = try await routes.makeServer()
        try await Application(router: server.router()).test(.live) { client in
            let script = """
                import socket, sys, time
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(b"POST /v1/prices HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer nope\\r\\nContent-Type: application/json\\r\\nContent-Length: 4194304\\r\\n\\r\\n")
                # Without the body the answer can only come if the server does not wait for it
                # (it would wait past this timeout); 20 s leaves room for a loaded machine.
                s.settimeout(20)
                start = time.time()
                try:
                    reply = s.recv(4096).decode()
                except socket.timeout:
                    reply = "no answer"
                print("%.3f" % (time.time() - start))
                print(reply)
                """
            let text = try await PythonClient.run(script, ["\(client.port!)"])
            let lines = text.split(separator: "\n", maxSplits: 1)
            #expect(lines.count == 2 && lines[1].hasPrefix("HTTP/1.1 401"), "\(text)")
            #expect((lines.first.flatMap { Double($0) } ?? 99) < 20, "seconds to the answer: \(text)")
        }
    }
}
