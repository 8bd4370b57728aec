import BreakwaterServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// HEAD, 405's Allow, percent-encoded path parameters, alert cursors, and requests the client
/// abandons halfway.
struct HTTPEdgeTests {
    @Test func headAnswersLikeGetWithoutTheBody() async throws {
        let server = try await RouteTests().makeServer()
        try await Application(router: server.router()).test(.router) { client in
            let getLength = try await client.execute(uri: "/v1/markets/BTC-USD", method: .get) { $0.body.readableBytes }
            try await client.execute(uri: "/v1/markets/BTC-USD", method: .head) { r in
                #expect(r.status == .ok)
                #expect(r.body.readableBytes == 0)
                #expect(r.headers[.contentType] == "application/json")
                #expect(r.headers[.contentLength].flatMap { Int($0) } == getLength)
            }
            try await client.execute(uri: "/v1/markets/NOPE", method: .head) { r in
                #expect(r.status == .notFound)
                #expect(r.body.readableBytes == 0)
            }
            try await client.execute(uri: "/healthz", method: .delete) { r in
                #expect(r.status == .methodNotAllowed)
                #expect(r.headers[.allow] == "GET, HEAD")
            }
            try await client.execute(uri: "/v1/prices", method: .head) { r in
                #expect(r.status == .methodNotAllowed)
                #expect(r.headers[.allow] == "POST")
            }
        }
    }

    @Test func pathParametersArePercentDecoded() async throws {
        let server = try await RouteTests().makeServer()
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: "/v1/markets/BTC%2DUSD", method: .get) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains("\"id\":\"BTC-USD\","))
            }
            try await client.execute(uri: "/v1/markets/BTC%2", method: .get) { r in
                #expect(r.status == .badRequest)
                #expect(String(buffer: r.body).contains("percent-encoding"))
            }
            try await client.execute(
                uri: "/v1/markets/BTC%2DUSD/halt",
                method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"],
                body: ByteBuffer(string: "{\"reason\":\"drill\"}")
            ) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains("\"manual\""))
            }
        }
    }

    /// The alert of an operator's halt says who halted, why and until when.
    @Test func aManualHaltAlertSaysWhoWhyAndUntilWhen() async throws {
        let server = try await RouteTests().makeServer()
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(
                uri: "/v1/markets/BTC-USD/halt",
                method: .post,
                headers: [
                    .contentType: "application/json", .authorization: "Bearer admin-token-for-tests",
                    HTTPField.Name("X-Breakwater-Actor")!: "alice",
                ],
                body: ByteBuffer(string: "{\"reason\":\"exploit on lending pool\",\"durationSeconds\":600}")
            ) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(uri: "/v1/alerts?type=breaker.halted", method: .get) { r in
                let body = String(buffer: r.body)
                #expect(
                    body.contains("BTC-USD HALTED by alice (") && body.contains("exploit on lending pool")
                        && body.contains("until 20"),
                    "\(body)"
                )
                #expect(body.contains("resume with POST /v1/markets/BTC-USD/resume"), "\(body)")
                #expect(!body.contains("if the move is real"), "\(body)")
            }
        }
    }

    @Test func aCursorNoPageHandedOutIsRefused() async throws {
        let server = try await RouteTests().makeServer()
        try await Application(router: server.router()).test(.router) { client in
            for cursor in ["garbage", "123_", "_abc", "+5_abc", "99999999999999999999_abc", "1_%00"] {
                try await client.execute(uri: "/v1/alerts?cursor=\(cursor)", method: .get) { r in
                    #expect(r.status == .badRequest, "\(cursor)")
                    #expect(String(buffer: r.body).contains("cursor: not a cursor from a previous page"), "\(cursor)")
                }
            }
            // A well-formed cursor past every alert is an empty last page.
            try await client.execute(uri: "/v1/alerts?cursor=\(1.0.bitPattern)_zzz", method: .get) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body) == "{\"alerts\":[],\"nextCursor\":null}")
            }
        }
    }

    /// A client that sends part of a body and hangs up is counted as 499 (client closed), not
    /// as a server error; a malformed chunked body is a 400 with the parser's reason.
    @Test(.timeLimit(.minutes(1)))
    func abandonedRequestsAreNotServerErrors() async throws {
        let server = try await RouteTests().makeServer()
        try await Application(router: server.router()).test(.live) { client in
            let script = """
                import socket, sys, time
                port = int(sys.argv[1])
                def partial(data, answer=False):
                    s = socket.create_connection(("127.0.0.1", port))
                    s.sendall(data)
                    reply = b""
                    if answer:
                        s.settimeout(5)
                        reply = s.recv(4096)
                    else:
                        time.sleep(0.3)
                    s.close()
                    return reply
                partial(b"POST /v1/prices HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer token-of-source-a\\r\\nContent-Type: application/json\\r\\nContent-Length: 1000\\r\\n\\r\\n{\\"source\\":\\"a\\",\\"pri")
                partial(b"POST /v1/markets/BTC-USD/halt HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer admin-token-for-tests\\r\\nContent-Type: application/json\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\n{\\"rea\\r\\n")
                print(partial(b"POST /v1/markets/BTC-USD/halt HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer admin-token-for-tests\\r\\nContent-Type: application/json\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n{\\"rea\\r\\n", answer=True).decode())
                """
            let reply = try await PythonClient.run(script, ["\(client.port!)"])
            #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
            #expect(reply.contains("malformed HTTP request"), "\(reply)")
            // The server notices the hang-ups asynchronously: wait until both are counted.
            var metrics = ""
            for _ in 0..<50 {
                metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
                if metrics.contains("route=\"/v1/prices\",status=\"499\"} 1")
                    && metrics.contains("route=\"/v1/markets/{id}/halt\",status=\"499\"} 1")
                {
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(
                metrics.contains(
                    "breakwater_http_requests_total{method=\"POST\",route=\"/v1/prices\",status=\"499\"} 1"
                )
            )
            #expect(
                metrics.contains(
                    "breakwater_http_requests_total{method=\"POST\",route=\"/v1/markets/{id}/halt\",status=\"499\"} 1"
                )
            )
            #expect(!metrics.contains("status=\"500\""))
        }
    }
}
