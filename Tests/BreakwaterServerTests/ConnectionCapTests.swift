import BreakwaterConfig
import BreakwaterServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

/// `server.maxConnections`: past the cap a new connection is closed at once, the open ones are
/// still served, and a closed one frees its place.
struct ConnectionCapTests {
    /// A server on `RouteTests.config` with `server` settings added (`"maxConnections": 3`).
    static func makeServer(adding settings: String) async throws -> BreakwaterServer {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bw-transport-\(UUID().uuidString).sqlite"
        ).path
        let json = RouteTests.config.replacingOccurrences(of: "STORAGE", with: path)
            .replacingOccurrences(of: "\"port\": 0,", with: "\"port\": 0, \(settings),")
        let server = try BreakwaterServer(
            config: try ConfigLoader.parse(Data(json.utf8)),
            environment: ["ADMIN": "admin-token-for-tests", "TA": "token-of-source-a"],
            registry: PrometheusCollectorRegistry(),
            logger: Logger(label: "test")
        )
        try await server.connectAlerting()
        await server.monitor.tick(now: BreakwaterServer.now())
        return server
    }

    @Test(.timeLimit(.minutes(1)))
    func connectionsPastTheCapAreClosedWhileOpenOnesAreServed() async throws {
        let server = try await Self.makeServer(adding: "\"maxConnections\": 3")
        #expect(server.connections.max == 3)
        try await Application(router: server.router(), server: server.httpServer()).test(.live) { client in
            // Opens keep-alive connections (each answers one GET) until one is closed instead;
            // then the first one asks again, one is closed, and a new one gets the free place.
            let script = """
                import socket, sys, time
                port = int(sys.argv[1])
                GET = b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"
                def ask(s):
                    s.sendall(GET)
                    s.settimeout(5)
                    try:
                        reply = s.recv(4096)
                    except ConnectionResetError:
                        return "error"
                    except OSError:
                        return "timeout"
                    return reply.split(b"\\r\\n")[0].decode() if reply else "closed"
                held = []
                answer = ""
                for _ in range(10):
                    s = socket.create_connection(("127.0.0.1", port))
                    start = time.monotonic()
                    answer = ask(s)
                    if answer != "HTTP/1.1 200 OK":
                        print("refused", answer, round(time.monotonic() - start, 2))
                        break
                    held.append(s)
                print("admitted", len(held))
                print("existing", ask(held[0]))
                held.pop().close()
                time.sleep(0.3)
                s = socket.create_connection(("127.0.0.1", port))
                print("after-close", ask(s))
                """
            let out = try await PythonClient.run(script, ["\(client.port!)"])
            let lines = out.split(separator: "\n").map(String.init)
            let refused = try #require(lines.first { $0.hasPrefix("refused ") }, "\(out)")
            let parts = refused.split(separator: " ")
            // Closed with the request unread: the client sees the end or a reset, not an answer.
            #expect(parts[1] == "closed" || parts[1] == "error", "\(out)")
            #expect(Double(parts.last!)! < 1, "closed at once: \(out)")
            // The test client may hold one place itself.
            let admitted = try #require(
                lines.first { $0.hasPrefix("admitted ") }.flatMap { Int($0.dropFirst(9)) },
                "\(out)"
            )
            #expect((2...3).contains(admitted), "\(out)")
            #expect(lines.contains("existing HTTP/1.1 200 OK"), "\(out)")
            #expect(lines.contains("after-close HTTP/1.1 200 OK"), "\(out)")
            #expect(server.connections.refusedConnections >= 1)
            #expect(server.connections.openConnections <= 3)
        }
    }
}
