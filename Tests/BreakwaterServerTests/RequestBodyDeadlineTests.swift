import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BreakwaterServer

/// A request body trickled slower than the deadline gets a 408 (or, when the route already
/// answered, a closed connection) within the deadline, instead of holding the connection.
struct RequestBodyDeadlineTests {
    /// Sends the headers, then one body byte every 0.2 s (a 100-byte body: 20 s in all) until
    /// the server answers or closes; prints the seconds that took and what came back.
    static let trickle = """
        import select, socket, sys, time
        port, head, skip_answer = int(sys.argv[1]), sys.argv[2].replace("|", "\\r\\n").encode(), sys.argv[3] == "1"
        # "quiet": send nothing after the head (a body that never starts), so that no byte of ours
        # meets the closed socket and resets the connection before its answer is read.
        quiet = len(sys.argv) > 4 and sys.argv[4] == "quiet"
        s = socket.create_connection(("127.0.0.1", port))
        start = time.monotonic()
        s.sendall(head + b"\\r\\n")
        reply = b""
        for _ in range(100):
            if select.select([s], [], [], 0.2)[0]:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
                if not skip_answer:
                    break
                continue
            if quiet:
                continue
            try:
                s.sendall(b" ")
            except OSError:
                break
        if not skip_answer:
            s.settimeout(3)
            while True:
                try:
                    chunk = s.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                reply += chunk
        print(round(time.monotonic() - start, 2))
        print(reply.decode(errors="replace"))
        """

    @Test(.timeLimit(.minutes(1)))
    func aTrickledBodyGetsA408WithinTheDeadline() async throws {
        let server = try await ConnectionCapTests.makeServer(adding: "\"maxConnections\": 10")
        try await Application(router: server.router(), server: server.httpServer(bodyTimeout: .seconds(1))).test(.live)
        { client in
            // An admin halt whose body never finishes: the route waiting for it answers 408 and
            // the connection is closed after that answer.
            let halt =
                "POST /v1/markets/BTC-USD/halt HTTP/1.1|Host: x|Authorization: Bearer admin-token-for-tests|Content-Type: application/json|Content-Length: 100|"
            let out = try await PythonClient.run(Self.trickle, ["\(client.port!)", halt, "0"])
            let seconds = try #require(Double(out.prefix { $0 != "\n" }), "\(out)")
            #expect(seconds >= 0.9 && seconds < 4, "\(out)")
            #expect(out.contains("HTTP/1.1 408"), "\(out)")
            #expect(out.lowercased().contains("connection: close"), "\(out)")
            #expect(out.contains("\"code\":\"request_timeout\""), "\(out)")
            // Unauthenticated: 401 at once without reading the body, then the rest of the body
            // is not waited for past the deadline (it held the connection 200 s).
            let push = "POST /v1/prices HTTP/1.1|Host: x|Content-Type: application/json|Content-Length: 100|"
            let pushed = try await PythonClient.run(Self.trickle, ["\(client.port!)", push, "1"])
            let pushSeconds = try #require(Double(pushed.prefix { $0 != "\n" }), "\(pushed)")
            #expect(pushed.contains("HTTP/1.1 401"), "\(pushed)")
            #expect(pushSeconds < 4, "closed within the deadline and its grace: \(pushed)")
            // A body that arrives in time is served as before, on the same server.
            try await client.execute(
                uri: "/v1/markets/BTC-USD/halt",
                method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"],
                body: ByteBuffer(string: "{\"reason\":\"drill\"}")
            ) { #expect($0.status == .ok) }
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains("route=\"/v1/markets/{id}/halt\",status=\"408\"} 1"), "\(metrics)")
        }
    }

    /// A positions snapshot (up to 64 MiB) has its own, longer deadline; other routes keep theirs.
    @Test(.timeLimit(.minutes(1)))
    func aPositionsBodyHasItsOwnLongerDeadline() async throws {
        let server = try await StressTestServer.make(clock: ManualClock(BreakwaterServer.now()))
        let http = server.httpServer(bodyTimeout: .seconds(1), positionsBodyTimeout: .seconds(3))
        try await Application(router: server.router(), server: http).test(.live) { client in
            let positions =
                "POST /v1/positions HTTP/1.1|Host: x|Authorization: Bearer \(StressTestServer.positionsToken)|Content-Type: application/json|Content-Length: 100|"
            let out = try await PythonClient.run(Self.trickle, ["\(client.port!)", positions, "0", "quiet"])
            let seconds = try #require(Double(out.prefix { $0 != "\n" }), "\(out)")
            #expect(seconds >= 2.9 && seconds < 6, "\(out)")
            #expect(out.contains("HTTP/1.1 408") && out.contains("within 3 s"), "\(out)")
            let query =
                "POST /v1/positions?x=1 HTTP/1.1|Host: x|Authorization: Bearer \(StressTestServer.positionsToken)|Content-Type: application/json|Content-Length: 100|"
            let queried = try await PythonClient.run(Self.trickle, ["\(client.port!)", query, "0", "quiet"])
            #expect(queried.contains("within 3 s"), "\(queried)")
            let stress = "POST /v1/stress HTTP/1.1|Host: x|Content-Type: application/json|Content-Length: 100|"
            let other = try await PythonClient.run(Self.trickle, ["\(client.port!)", stress, "0", "quiet"])
            let otherSeconds = try #require(Double(other.prefix { $0 != "\n" }), "\(other)")
            #expect(otherSeconds < 2.5 && other.contains("within 1 s"), "\(other)")
        }
    }
}
