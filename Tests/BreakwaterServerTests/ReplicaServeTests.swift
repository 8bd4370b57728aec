import BreakwaterTestSupport
import Foundation
import Synchronization
import Testing

/// Three `breakwater serve` processes on one PostgreSQL database, one push feeder pushing to
/// all three, a real webhook receiver that checks every signature: one signed webhook per
/// transition, a halt through one replica on the others within a second, the lease holder
/// killed mid-incident, the database restarted mid-run.
struct ReplicaServeTests {
    let live = LiveServeTests()
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let pushToken = "replica-push-token-0123456789"
    static let adminToken = "replica-admin-token-0123456789"

    /// A receiver that verifies each Standard Webhook signature and appends one JSON line per
    /// notification (webhook-id, type, status, whether the signature held) to `log`.
    func receiver(port: Int, log: String) throws -> ChildProcess {
        let script = """
            import base64, hashlib, hmac, http.server, json, sys
            key = base64.b64decode(sys.argv[2].split("_", 1)[1])
            class H(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers["content-length"]))
                    mid, ts = self.headers["webhook-id"], self.headers["webhook-timestamp"]
                    sig = base64.b64encode(hmac.new(key, f"{mid}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
                    d = json.loads(body)
                    line = {"id": mid, "type": d["type"], "status": d["data"]["status"],
                            "signed": f"v1,{sig}" in self.headers["webhook-signature"].split(" ")}
                    with open(sys.argv[3], "a") as f: f.write(json.dumps(line) + "\\n")
                    self.send_response(204); self.end_headers()
                def log_message(self, *a): pass
            http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
            """
        return try ChildProcess.python(script, ["\(port)", Self.secret, log])
    }

    struct Notice: Decodable, Equatable {
        var id: String
        var type: String
        var status: String
        var signed: Bool
    }

    func notices(_ log: String) -> [Notice] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Notice.self, from: Data($0.utf8)) }
    }

    /// Waits until `log` holds `count` notices of `type` with `status`, each with its own
    /// webhook-id (true), or `seconds` pass.
    func waitFor(_ log: String, _ type: String, _ status: String, count: Int, within seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let ids = Set(notices(log).filter { $0.type == type && $0.status == status }.map(\.id))
            if ids.count >= count { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The breaker state replica `port` serves for BTC-USD.
    func state(_ port: Int) async -> String? {
        guard let body = await live.get("http://127.0.0.1:\(port)/v1/markets/BTC-USD")?.1,
            let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let breaker = json["breaker"] as? [String: Any]
        else { return nil }
        return breaker["state"] as? String
    }

    @Test(.timeLimit(.minutes(3)))
    func threeReplicasOnePagePerTransition() async throws {
        let binary = try #require(LiveServeTests.binary, "build the breakwater product first (swift build)")
        let pg = try await TestPostgres.start()
        let url = try await pg.newDatabase()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-replicas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("received.jsonl").path
        let rxPort = live.freePort()
        let rx = try receiver(port: rxPort, log: log)
        defer { rx.kill() }
        let config = dir.appendingPathComponent("config.json")
        try """
        {"server": {"host": "127.0.0.1", "port": 0, "tickMs": 100, "adminTokenEnv": "BW_ADMIN"},
         "storage": {"kind": "postgres", "urlEnv": "BREAKWATER_DATABASE_URL"},
         "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "BW_PUSH"}],
                      "aggregation": {"minSources": 1, "maxAgeMs": 3000}, "breaker": {"recoverySeconds": 1}}],
         "alerts": {"webhooks": [{"id": "rx", "url": "http://127.0.0.1:\(rxPort)/hook", "format": "standard",
                                  "secretEnv": "BW_HOOK", "types": ["market.quorum_lost", "breaker.halted"]}]}}
        """.write(to: config, atomically: true, encoding: .utf8)
        let ports = (0..<3).map { _ in live.freePort() }
        var replicas: [ChildProcess] = []
        defer { for r in replicas { r.kill() } }
        for port in ports {
            let env = [
                "BREAKWATER_DATABASE_URL": url, "BW_ADMIN": Self.adminToken, "BW_PUSH": Self.pushToken,
                "BW_HOOK": Self.secret, "BREAKWATER_PORT": "\(port)",
            ]
            replicas.append(try await live.start(binary, config: config, port: port, environment: env))
        }
        // The feeder: one price every 200 ms to every replica while `feeding`.
        let feeding = Mutex(true)
        let feeder = Task {
            while !Task.isCancelled {
                if feeding.withLock({ $0 }) {
                    let body =
                        #"{"source": "a", "prices": [{"market": "BTC-USD", "price": 97000, "timestamp": \#(Date().timeIntervalSince1970)}]}"#
                    for port in ports {
                        _ = await live.post("http://127.0.0.1:\(port)/v1/prices", token: Self.pushToken, body: body)
                    }
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        defer { feeder.cancel() }

        // Every replica priced and open first (a replica started before the feed may page the
        // quorum lost at start, and its end: counted like any other transition).
        let ready = ContinuousClock.now
        var open = false
        while !open && ContinuousClock.now - ready < .seconds(60) {
            var states: [String?] = []
            for port in ports { states.append(await state(port)) }
            open = states.allSatisfy { $0 == "normal" }
            if !open { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(open, "the replicas never all served the market open")
        try await Task.sleep(for: .seconds(1))
        let quorum = { (status: String) in
            Set(notices(log).filter { $0.type == "market.quorum_lost" && $0.status == status }.map(\.id)).count
        }
        let (firing0, resolved0) = (quorum("firing"), quorum("resolved"))
        #expect(firing0 == resolved0, "\(notices(log))")

        // 1. An incident (the feed stops: quorum lost) and its end: one signed webhook each.
        feeding.withLock { $0 = false }
        #expect(await waitFor(log, "market.quorum_lost", "firing", count: firing0 + 1, within: 10), "\(notices(log))")
        feeding.withLock { $0 = true }
        #expect(
            await waitFor(log, "market.quorum_lost", "resolved", count: resolved0 + 1, within: 10),
            "\(notices(log))"
        )

        // 2. A halt through replica 2 holds on replicas 1 and 3 within a second.
        let halted = await live.post(
            "http://127.0.0.1:\(ports[1])/v1/markets/BTC-USD/halt",
            token: Self.adminToken,
            body: #"{"reason": "replica drill"}"#
        )
        #expect(halted == 200)
        let haltedAt = ContinuousClock.now
        var seen: [Int: Duration] = [:]
        while seen.count < 2 && ContinuousClock.now - haltedAt < .seconds(3) {
            for port in [ports[0], ports[2]] where seen[port] == nil {
                if await state(port) == "halted" { seen[port] = ContinuousClock.now - haltedAt }
            }
        }
        #expect(seen.count == 2 && seen.values.allSatisfy { $0 < .seconds(1) }, "\(seen)")
        #expect(
            await live.post(
                "http://127.0.0.1:\(ports[2])/v1/markets/BTC-USD/resume",
                token: Self.adminToken,
                body: "{}"
            )
                == 200
        )
        #expect(await waitFor(log, "breaker.halted", "resolved", count: 1, within: 10), "\(notices(log))")

        // 3. kill -9 of the lease holder mid-incident: the resolution still arrives, once.
        var holder: Int?
        for (i, port) in ports.enumerated() {
            let text = await live.get("http://127.0.0.1:\(port)/metrics")?.1 ?? ""
            if text.split(separator: "\n").contains(where: {
                $0.hasPrefix("breakwater_alert_lease_held{") && $0.hasSuffix(" 1.0")
            }) {
                #expect(holder == nil, "two replicas hold the alert lease")
                holder = i
            }
        }
        let h = try #require(holder, "no replica says it holds the alert lease")
        feeding.withLock { $0 = false }
        #expect(await waitFor(log, "market.quorum_lost", "firing", count: firing0 + 2, within: 10), "\(notices(log))")
        let killedAt = ContinuousClock.now
        replicas[h].kill()
        feeding.withLock { $0 = true }
        #expect(
            await waitFor(log, "market.quorum_lost", "resolved", count: resolved0 + 2, within: 25),
            "\(notices(log))"
        )
        print(
            "replica test: lease holder (replica \(h + 1)) killed; its incident resolved \(ContinuousClock.now - killedAt) later"
        )

        // 4. PostgreSQL restarted mid-run, the feed stopping while it is away: committed and sent once.
        try await pg.stop()
        feeding.withLock { $0 = false }
        try await Task.sleep(for: .seconds(3))
        try await pg.restart()
        #expect(await waitFor(log, "market.quorum_lost", "firing", count: firing0 + 3, within: 25), "\(notices(log))")

        try await Task.sleep(for: .seconds(2))  // anything sent twice would have arrived by now
        let all = notices(log)
        #expect(all.allSatisfy { $0.signed }, "every webhook signed: \(all)")
        // A notification whose sender was killed after the receiver had it but before it was
        // recorded is sent again once its claim expires, with the same webhook-id and body (the
        // receiver de-duplicates on the id): never a second id for one transition.
        let byID = Dictionary(grouping: all, by: \.id)
        #expect(byID.values.allSatisfy { Set($0.map { "\($0.type) \($0.status)" }).count == 1 }, "\(all)")
        let counts = Dictionary(byID.values.map { ("\($0[0].type) \($0[0].status)", 1) }, uniquingKeysWith: +)
        #expect(
            counts == [
                "market.quorum_lost firing": firing0 + 3, "market.quorum_lost resolved": resolved0 + 2,
                "breaker.halted firing": 1,
                "breaker.halted resolved": 1,
            ],
            "\(counts)"
        )
        try await pg.stop()
    }
}
