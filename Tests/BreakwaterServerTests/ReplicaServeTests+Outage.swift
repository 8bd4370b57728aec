import BreakwaterTestSupport
import Foundation
import Testing

/// `breakwater serve` replicas on one PostgreSQL database that is away: one started while it
/// is down serves reads, answers /readyz, pushes and operator actions 503, and joins by itself
/// when it comes up; a halt made through it meanwhile holds on the others within a second of
/// the database's return.
extension ReplicaServeTests {
    /// A POST by Python's urllib: the status and the body.
    func postWithBody(_ url: String, token: String, body: String) async -> (Int, String)? {
        guard
            let text = try? await ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-c",
                    "import urllib.request,sys\nr=urllib.request.Request(sys.argv[1],data=sys.argv[3].encode(),method='POST',headers={'Authorization':'Bearer '+sys.argv[2],'Content-Type':'application/json'})\ntry:\n x=urllib.request.urlopen(r,timeout=3); print(x.status); print(x.read().decode())\nexcept urllib.error.HTTPError as e:\n print(e.code); print(e.read().decode())",
                    url, token, body,
                ]
            ).output
        else { return nil }
        let lines = text.split(separator: "\n", maxSplits: 1)
        guard let first = lines.first, let code = Int(first) else { return nil }
        return (code, lines.count > 1 ? String(lines[1]) : "")
    }

    /// How long until replica `port` serves BTC-USD in breaker state `wanted`, nil when not within `seconds`.
    func until(_ port: Int, state wanted: String, within seconds: Double) async throws -> Duration? {
        let since = ContinuousClock.now
        while ContinuousClock.now - since < .seconds(seconds) {
            if await state(port) == wanted { return ContinuousClock.now - since }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func outageConfig() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-outage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("config.json")
        try """
        {"server": {"host": "127.0.0.1", "port": 0, "tickMs": 100, "adminTokenEnv": "BW_ADMIN"},
         "storage": {"kind": "postgres", "urlEnv": "BREAKWATER_DATABASE_URL"},
         "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "BW_PUSH"}],
                      "aggregation": {"minSources": 1, "maxAgeMs": 3000}, "breaker": {"recoverySeconds": 1}}]}
        """.write(to: config, atomically: true, encoding: .utf8)
        return config
    }

    func environment(_ url: String, port: Int) -> [String: String] {
        [
            "BREAKWATER_DATABASE_URL": url, "BW_ADMIN": Self.adminToken, "BW_PUSH": Self.pushToken,
            "BREAKWATER_PORT": "\(port)",
        ]
    }

    @Test(.timeLimit(.minutes(3)))
    func aReplicaStartedWhileTheDatabaseIsDownServesThenJoinsAndItsHaltHoldsEverywhere() async throws {
        let binary = try #require(LiveServeTests.binary, "build the breakwater product first (swift build)")
        let pg = try await TestPostgres.start()
        let url = try await pg.newDatabase()
        let config = try outageConfig()
        let ports = [live.freePort(), live.freePort()]
        var replicas: [ChildProcess] = []
        defer { for r in replicas { r.kill() } }
        // B starts with the database up; then the database stops, and A starts without it.
        replicas.append(
            try await live.start(binary, config: config, port: ports[1], environment: environment(url, port: ports[1]))
        )
        try await pg.stop()
        let a = try live.launch(binary, config: config, environment: environment(url, port: ports[0]))
        replicas.insert(a, at: 0)
        let feeder = Task {
            while !Task.isCancelled {
                let body =
                    #"{"source": "a", "prices": [{"market": "BTC-USD", "price": 97000, "timestamp": \#(Date().timeIntervalSince1970)}]}"#
                for port in ports {
                    _ = await live.post("http://127.0.0.1:\(port)/v1/prices", token: Self.pushToken, body: body)
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        defer { feeder.cancel() }

        // A serves reads (priced from the pushes) while the database is down, and says why it is not ready.
        let priced = try await until(ports[0], state: "normal", within: 30)
        #expect(priced != nil, "A never served the market open: \(a.output.suffix(2000))")
        let ready = await live.get("http://127.0.0.1:\(ports[0])/readyz")
        #expect(
            ready?.0 == 503 && ready?.1.contains("cannot reach the database server") == true,
            "\(String(describing: ready))"
        )
        let push = await postWithBody(
            "http://127.0.0.1:\(ports[0])/v1/prices",
            token: Self.pushToken,
            body:
                #"{"source": "a", "prices": [{"market": "BTC-USD", "price": 97000, "timestamp": \#(Date().timeIntervalSince1970)}]}"#
        )
        #expect(push?.0 == 503 && push?.1.contains("storage_unavailable") == true, "\(String(describing: push))")
        #expect(a.output.contains("shared database not reachable at start-up"))
        // Its delivery worker's start-up step is no error there: claims record what a stopped
        // replica left unfinished.
        #expect(!a.output.contains("cannot record the attempts interrupted"))
        #expect(a.output.contains("recorded as interrupted when their deliveries are next claimed"))

        // A halt through A while the database is down: applied there, 503 saying so.
        let halt = await postWithBody(
            "http://127.0.0.1:\(ports[0])/v1/markets/BTC-USD/halt",
            token: Self.adminToken,
            body: #"{"reason": "outage drill"}"#
        )
        #expect(halt?.0 == 503, "\(String(describing: halt))")
        #expect(halt?.1.contains("storage_unavailable") == true && halt?.1.contains("this replica only") == true)
        #expect(await state(ports[0]) == "halted")
        let stateOfB = await state(ports[1])
        #expect(stateOfB != nil && stateOfB != "halted", "B cannot know of it while the database is down")
        try await Task.sleep(for: .seconds(1))
        #expect(await state(ports[0]) == "halted", "A's own halt was undone while the database was down")

        // The database returns: the halt made through A holds on B within a second.
        try await pg.restart()
        let onB = try await until(ports[1], state: "halted", within: 5)
        #expect(onB.map { $0 < .seconds(1) } == true, "B halted \(String(describing: onB)) after the return")
        print(
            "outage test: A's halt made while the database was down held on B \(String(describing: onB)) after its return"
        )
        // A joined without a restart: ready, and applies what another replica does.
        var readyAgain = false
        for _ in 0..<100 where !readyAgain {
            readyAgain = await live.get("http://127.0.0.1:\(ports[0])/readyz")?.0 == 200
            if !readyAgain { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(readyAgain, "A not ready after the database returned: \(a.output.suffix(2000))")
        #expect(a.output.contains("reached the shared database: joined without a restart"))
        // (A resume is refused while B's oracle is untrusted: pushes late on a loaded machine.)
        var resume: (Int, String)?
        for _ in 0..<50 where resume?.0 != 200 {
            resume = await postWithBody(
                "http://127.0.0.1:\(ports[1])/v1/markets/BTC-USD/resume",
                token: Self.adminToken,
                body: "{}"
            )
            if resume?.0 == 409 { try await Task.sleep(for: .milliseconds(200)) } else { break }
        }
        #expect(resume?.0 == 200, "\(String(describing: resume))")
        let resumedOnA = try await until(ports[0], state: "normal", within: 5)
        #expect(
            resumedOnA.map { $0 < .seconds(1) } == true,
            "A resumed \(String(describing: resumedOnA)) after B's resume"
        )
        #expect(
            await live.post(
                "http://127.0.0.1:\(ports[1])/v1/markets/BTC-USD/halt",
                token: Self.adminToken,
                body: #"{"reason": "second drill"}"#
            ) == 200
        )
        let haltedOnA = try await until(ports[0], state: "halted", within: 5)
        #expect(haltedOnA.map { $0 < .seconds(1) } == true, "A halted \(String(describing: haltedOnA)) after B's halt")
        try await pg.stop()
    }

    /// A URL whose user the server refuses: the replica serves, and /readyz and the log name it.
    @Test(.timeLimit(.minutes(1)))
    func aRefusedLoginIsNamedOnReadyzAndInTheLog() async throws {
        let binary = try #require(LiveServeTests.binary, "build the breakwater product first (swift build)")
        let pg = try await TestPostgres.shared()
        let name = try #require(URL(string: try await pg.newDatabase())?.lastPathComponent)
        let port = live.freePort()
        let replica = try live.launch(
            binary,
            config: try outageConfig(),
            environment: environment("postgres://nobody_known@127.0.0.1:\(pg.port)/\(name)", port: port)
        )
        defer { replica.kill() }
        var ready: (Int, String)?
        for _ in 0..<100 {
            ready = await live.get("http://127.0.0.1:\(port)/readyz")
            if ready?.1.contains("login refused") == true { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(ready?.0 == 503 && ready?.1.contains("login refused") == true, "\(String(describing: ready))")
        #expect(replica.output.contains("login refused"), "\(replica.output.suffix(2000))")
    }
}
