import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStress
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@testable import BreakwaterServer

/// `POST /v1/positions`: only the positions token, bad items refused by path with the rest held,
/// a market's book replaced by the next snapshot naming it, bodies over 64 MiB refused (413)
/// before they are read.
struct PositionsRouteTests {
    typealias S = StressTestServer

    static func snapshot(asOf: Double, fund: Double = 2_000_000, markets: String) -> String {
        #"{"asOf": \#(asOf), "insuranceFund": {"balance": \#(fund)}, "markets": [\#(markets)]}"#
    }

    @Test func onlyThePositionsTokenMayPost() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        let body = Self.snapshot(asOf: clock.now, markets: #"{"market": "BTC-USD", "positions": []}"#)
        try await Application(router: server.router()).test(.live) { client in
            let (missing, _) = try await S.post(client, "/v1/positions", token: nil, body: body)
            #expect(missing == .unauthorized)
            let (wrong, _) = try await S.post(client, "/v1/positions", token: "not-a-token-of-this-server", body: body)
            #expect(wrong == .unauthorized)
            for other in [S.adminToken, S.pushToken] {
                let (status, text) = try await S.post(client, "/v1/positions", token: other, body: body)
                #expect(status == .forbidden && text.contains("only the positions token"), "\(text)")
            }
            let (ok, text) = try await S.post(client, "/v1/positions", body: body)
            #expect(ok == .accepted, "\(text)")
        }
        #expect(server.positions.contents.version == 1)
    }

    @Test func withoutAPositionsTokenTheRouteIsClosed() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        var env = ["ADMIN": S.adminToken, "DESK": S.pushToken]
        env["POSITIONS"] = nil
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-pos-\(UUID().uuidString)")
        let cfg = try ConfigLoader.parse(Data(S.config(storage: dir.appendingPathComponent("s.sqlite").path).utf8))
        let server = try BreakwaterServer(
            config: cfg,
            environment: env,
            registry: .init(),
            logger: .init(label: "t"),
            clock: { clock.now }
        )
        try await Application(router: server.router()).test(.router) { client in
            let (status, text) = try await S.post(client, "/v1/positions", token: "anything-sixteen-chars", body: "{}")
            #expect(status == .forbidden && text.contains("positions_disabled"), "\(text)")
            // No credentials at all: 401, configured or not.
            let (bare, bareText) = try await S.post(client, "/v1/positions", token: nil, body: "{}")
            #expect(bare == .unauthorized && bareText.contains("missing bearer token"), "\(bareText)")
        }
    }

    @Test func badItemsAreRefusedByPathAndTheRestHeld() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        let body = Self.snapshot(
            asOf: clock.now - 5,
            markets: #"""
                {"market": "BTC-USD", "positions": [
                  {"side": "long", "size": 2, "entry": 100, "collateral": 10},
                  {"side": "long", "size": 0, "entry": 100, "collateral": 10},
                  {"side": "up", "size": 1, "entry": 100, "collateral": 10},
                  {"side": "short", "size": 1, "entry": -5, "collateral": 10},
                  {"side": "short", "size": 1, "entry": 100, "collateral": -1},
                  {"side": "short", "size": 3, "entry": 101, "collateral": 30, "account": "acct-7"}]},
                {"market": "DOGE-USD", "positions": []},
                {"market": "ETH-USD", "positions": [{"side": "short", "size": "1.5", "entry": 2000, "collateral": 300}]}
                """#
        )
        try await Application(router: server.router()).test(.live) { client in
            let (status, text) = try await S.post(client, "/v1/positions", body: body)
            #expect(status == .accepted, "\(text)")
            let answer = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            #expect(answer?["accepted"] as? Int == 3)
            #expect(answer?["markets"] as? [String] == ["BTC-USD", "ETH-USD"])
            #expect(answer?["rejectedCount"] as? Int == 5)
            let refused = (answer?["rejected"] as? [[String: Any]] ?? []).map { "\($0["path"]!): \($0["reason"]!)" }
            #expect(
                refused == [
                    "markets[0].positions[1]: size: must be > 0",
                    #"markets[0].positions[2]: side: "up" is not long or short"#,
                    "markets[0].positions[3]: entry: must be > 0",
                    "markets[0].positions[4]: collateral: must be >= 0",
                    #"markets[1]: market "DOGE-USD" is not configured"#,
                ],
                "\(refused)"
            )
        }
        let held = server.positions.contents
        #expect(held.markets["BTC-USD"]?.book.positions.count == 2)
        #expect(held.markets["ETH-USD"]?.book.positions.first?.size == 1.5)
        #expect(held.insuranceFund == 2_000_000)
    }

    @Test func aMarketsListReplacesItsPreviousOneAndOthersStay() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        let long = #"{"side": "long", "size": 1, "entry": 100, "collateral": 10}"#
        try await Application(router: server.router()).test(.router) { client in
            let first = Self.snapshot(
                asOf: clock.now - 60,
                markets: #"{"market": "BTC-USD", "positions": [\#(long), \#(long)]}, "#
                    + #"{"market": "ETH-USD", "positions": [\#(long)]}"#
            )
            let (a, _) = try await S.post(client, "/v1/positions", body: first)
            #expect(a == .accepted)
            let second = Self.snapshot(
                asOf: clock.now,
                fund: 5,
                markets: #"{"market": "BTC-USD", "positions": [\#(long), \#(long), \#(long)]}"#
            )
            let (b, _) = try await S.post(client, "/v1/positions", body: second)
            #expect(b == .accepted)
        }
        let held = server.positions.contents
        #expect(held.markets["BTC-USD"]?.book.positions.count == 3)
        #expect(held.markets["BTC-USD"]?.asOf == clock.now)
        // ETH-USD keeps the first snapshot's book and time; the fund is the latest snapshot's.
        #expect(held.markets["ETH-USD"]?.book.positions.count == 1)
        #expect(held.markets["ETH-USD"]?.asOf == clock.now - 60)
        #expect(held.oldestAsOf == clock.now - 60)
        #expect(held.insuranceFund == 5)
    }

    @Test func aBrokenFrameOrAFutureSnapshotIsRefusedWhole() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        try await Application(router: server.router()).test(.router) { client in
            let (notJSON, t1) = try await S.post(client, "/v1/positions", body: #"{"asOf": 1,"#)
            #expect(notJSON == .badRequest && t1.contains("not valid JSON"), "\(t1)")
            let (noFund, t2) = try await S.post(client, "/v1/positions", body: #"{"asOf": 1, "markets": []}"#)
            #expect(noFund == .badRequest && t2.contains("insuranceFund"), "\(t2)")
            let future = Self.snapshot(asOf: clock.now + 3600, markets: "")
            let (ahead, t3) = try await S.post(client, "/v1/positions", body: future)
            #expect(ahead == .badRequest && t3.contains("ahead of this clock"), "\(t3)")
        }
        #expect(server.positions.contents.version == 0)
    }

    /// 64 MiB is the limit: a declared length over it is answered 413 before any body byte is
    /// read, and a chunked body is cut off once past it.
    @Test func bodiesOver64MiBAre413() async throws {
        let clock = ManualClock(BreakwaterServer.now())
        let server = try await S.make(clock: clock)
        try await Application(router: server.router()).test(.live) { client in
            let script = """
                import socket, sys, time
                port = int(sys.argv[1])
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(b"POST /v1/positions HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer \(S.positionsToken)\\r\\nContent-Type: application/json\\r\\nContent-Length: 73400320\\r\\n\\r\\n")
                s.settimeout(20)
                try:
                    print(s.recv(4096).decode().split("\\r\\n")[0])
                except socket.timeout:
                    print("no answer")
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(b"POST /v1/positions HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer \(S.positionsToken)\\r\\nContent-Type: application/json\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n")
                chunk = b"x" * (1 << 20)
                sent = 0
                try:
                    while sent < 70:
                        s.sendall(b"%x\\r\\n" % len(chunk) + chunk + b"\\r\\n")
                        sent += 1
                except OSError:
                    pass
                s.settimeout(20)
                try:
                    print(s.recv(4096).decode().split("\\r\\n")[0], sent)
                except (socket.timeout, OSError) as e:
                    print("no answer", sent, e)
                """
            let text = try await PythonClient.run(script, ["\(client.port!)"])
            let lines = text.split(separator: "\n")
            #expect(lines.first?.hasPrefix("HTTP/1.1 413") == true, "\(text)")
            #expect(lines.count == 2 && lines[1].hasPrefix("HTTP/1.1 413"), "\(text)")
        }
        #expect(server.positions.contents.version == 0)
    }
}
