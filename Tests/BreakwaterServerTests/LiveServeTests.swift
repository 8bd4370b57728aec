import BreakwaterTestSupport
import BreakwaterVenues
import Foundation
import Testing

/// Runs the built `breakwater` binary as a user would: start, query over 127.0.0.1, SIGTERM, exit code.
/// Every child process is awaited without blocking a thread of the shared pool (see ChildProcess).
struct LiveServeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var binary: URL? {
        for dir in [".build/debug", ".build/x86_64-unknown-linux-gnu/debug", ".build/aarch64-unknown-linux-gnu/debug"] {
            let url = root.appendingPathComponent(dir).appendingPathComponent("breakwater")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    func freePort() -> Int { Int.random(in: 20_000...40_000) }

    func get(_ url: String) async -> (Int, String)? {
        let u = URL(string: url)!
        // A GET by Python's urllib (a client independent of the server's HTTP stack).
        guard
            let text = try? await ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-c",
                    "import urllib.request,sys\ntry:\n r=urllib.request.urlopen(sys.argv[1],timeout=2); print(r.status); print(r.read().decode())\nexcept urllib.error.HTTPError as e:\n print(e.code); print(e.read().decode())",
                    u.absoluteString,
                ]
            ).output
        else { return nil }
        let lines = text.split(separator: "\n", maxSplits: 1)
        guard let first = lines.first, let code = Int(first) else { return nil }
        return (code, lines.count > 1 ? String(lines[1]) : "")
    }

    /// Starts `breakwater serve --config` without waiting; its stdout and stderr together are
    /// the child's `output`.
    func launch(_ binary: URL, config: URL, environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(
            binary,
            ["serve", "--config", config.path],
            environment: environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]) {
                a,
                _ in a
            },
            mergingErrors: true
        )
    }

    /// Writes a config with one market fed by one push source (token in `TA`), listening on
    /// `port`, into a new directory; returns the config's path.
    func writePushConfig(port: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = """
            {"server": {"host": "127.0.0.1", "port": \(port)}, "storage": {"path": "\(dir.path)/state.sqlite"},
             "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}], "aggregation": {"minSources": 1}}]}
            """
        let url = dir.appendingPathComponent("config.json")
        try config.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Starts `breakwater serve` on `config` and waits until it is ready.
    func start(_ binary: URL, config: URL, port: Int, environment: [String: String] = [:]) async throws -> ChildProcess
    {
        let p = try launch(binary, config: config, environment: environment)
        for _ in 0..<100 {
            if let (code, _) = await get("http://127.0.0.1:\(port)/readyz"), code == 200 { return p }
            try await Task.sleep(for: .milliseconds(100))
        }
        p.terminate()
        throw CancellationError()
    }

    func post(_ url: String, token: String, body: String) async -> Int? {
        guard
            let text = try? await ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-c",
                    "import urllib.request,sys\nr=urllib.request.Request(sys.argv[1],data=sys.argv[3].encode(),method='POST',headers={'Authorization':'Bearer '+sys.argv[2],'Content-Type':'application/json'})\ntry:\n print(urllib.request.urlopen(r,timeout=3).status)\nexcept urllib.error.HTTPError as e:\n print(e.code)",
                    url, token, body,
                ]
            ).output
        else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `breakwater serve` polling local venues that speak the real formats, read over HTTP.
    @Test(.timeLimit(.minutes(1)))
    func servePollsLocalVenues() async throws {
        let binary = try #require(Self.binary, "build the breakwater product first (swift build)")
        let venues = try await SimulatedVenues.start(port: 0)
        let feeds: [(Venue, String)] = [
            (.coinbase, "BTC-USD"), (.coinbaseExchange, "BTC-USD"), (.kraken, "XBTUSD"), (.bitstamp, "btcusd"),
            (.pyth, "0xe62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43"),
        ]
        for (v, sym) in feeds { await venues.state.setPrice(v == .bitstamp ? 56_000 : 50_000, venue: v, symbol: sym) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-venues-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let port = freePort()
        let sources = feeds.map { v, sym in
            "{\"id\": \"\(v.rawValue)\", \"kind\": \"\(v.rawValue)\", \"symbol\": \"\(sym)\", \"intervalMs\": 200, \"baseURL\": \"\(venues.baseURL)\"}"
        }
        let config = dir.appendingPathComponent("config.json")
        try """
        {"server": {"host": "127.0.0.1", "port": \(port), "tickMs": 100}, "storage": {"path": "\(dir.path)/state.sqlite"},
         "markets": [{"id": "BTC-USD", "sources": [\(sources.joined(separator: ","))],
                      "aggregation": {"minSources": 3, "maxAgeMs": 2000, "maxDeviation": 0.02}}]}
        """.write(to: config, atomically: true, encoding: .utf8)
        let p = try await start(binary, config: config, port: port)
        defer { p.terminate() }
        var market: [String: Any] = [:]
        for _ in 0..<100 {
            if let body = await get("http://127.0.0.1:\(port)/v1/markets/BTC-USD")?.1,
                let m = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                m["price"] as? Double != nil,
                ((m["sources"] as? [[String: Any]]) ?? []).filter({ $0["status"] as? String == "waiting" }).isEmpty
            {
                market = m
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(market["price"] as? Double == 50_000)
        let statuses = Dictionary(
            uniqueKeysWithValues: ((market["sources"] as? [[String: Any]]) ?? []).map {
                ($0["id"] as! String, $0["status"] as! String)
            }
        )
        #expect(
            statuses == [
                "coinbase": "ok", "coinbase-exchange": "ok", "kraken": "ok", "bitstamp": "outlier", "pyth": "ok",
            ]
        )
        p.terminate()
        await p.exited()
        await venues.stop()
    }

    @Test(.timeLimit(.minutes(1)))
    func haltSurvivesKill9AndRestart() async throws {
        let binary = try #require(Self.binary, "build the breakwater product first (swift build)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let port = freePort()
        let config = dir.appendingPathComponent("config.json")
        try """
        {"server": {"host": "127.0.0.1", "port": \(port), "adminTokenEnv": "ADMIN"}, "storage": {"path": "\(dir.path)/state.sqlite"},
         "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}], "aggregation": {"minSources": 1}}]}
        """.write(to: config, atomically: true, encoding: .utf8)
        let env = ["ADMIN": "admin-token-for-tests", "TA": "token-of-source-a"]
        let first = try await start(binary, config: config, port: port, environment: env)
        #expect(
            await post(
                "http://127.0.0.1:\(port)/v1/markets/BTC-USD/halt",
                token: "admin-token-for-tests",
                body: "{\"reason\":\"drill\",\"durationSeconds\":600}"
            ) == 200
        )
        let before = try #require(await get("http://127.0.0.1:\(port)/v1/markets/BTC-USD")?.1)
        kill(first.processIdentifier, SIGKILL)
        await first.exited()
        let second = try await start(binary, config: config, port: port, environment: env)
        defer { second.terminate() }
        let after = try #require(await get("http://127.0.0.1:\(port)/v1/markets/BTC-USD")?.1)
        func manual(_ json: String) throws -> [String: Any]? {
            let o = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            return (o?["breaker"] as? [String: Any])?["manual"] as? [String: Any]
        }
        let m1 = try #require(try manual(before))
        let m2 = try #require(try manual(after))
        #expect(m2["until"] as? String == m1["until"] as? String, "halted until the same time after kill -9")
        #expect(m2["reason"] as? String == "drill")
        #expect(after.contains("\"state\":\"halted\""))
    }

    @Test(.timeLimit(.minutes(1)))
    func serveAnswersThenStopsCleanlyOnSIGTERM() async throws {
        let binary = try #require(Self.binary, "build the breakwater product first (swift build)")
        let port = freePort()
        let p = try launch(
            binary,
            config: try writePushConfig(port: port),
            environment: ["TA": "secret-token-for-tests"]
        )
        var ready = false
        for _ in 0..<100 {
            if let (code, _) = await get("http://127.0.0.1:\(port)/readyz"), code == 200 {
                ready = true
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(ready, "the server became ready")
        let market = await get("http://127.0.0.1:\(port)/v1/markets/BTC-USD")
        #expect(market?.0 == 200)
        #expect(market?.1.contains("\"id\":\"BTC-USD\"") == true)
        #expect(await get("http://127.0.0.1:\(port)/v1/markets/ETH-USD")?.0 == 404)
        p.terminate()  // SIGTERM
        #expect(await p.exited(within: 10), "exited within 10 s of SIGTERM")
        #expect(p.process.terminationStatus == 0)
        let log = p.output
        #expect(log.contains("listening on http://127.0.0.1:\(port)"))
        #expect(log.contains("market BTC-USD"))
        // The admin token's variable is not set: one line says so, and nothing about TA (set).
        #expect(log.components(separatedBy: "token variable not set").count == 2, "\(log)")
        #expect(log.contains("variable=BREAKWATER_ADMIN_TOKEN"), "\(log)")
    }

    /// A token shorter than 16 characters stops the start with exit 2 and says which variable
    /// (never its value).
    @Test(.timeLimit(.minutes(1)))
    func aShortTokenStopsTheStartWithExit2() async throws {
        let binary = try #require(Self.binary, "build the breakwater product first (swift build)")
        let p = try launch(binary, config: try writePushConfig(port: 0), environment: ["TA": "tenchars10\n"])
        let exited = await p.exited(within: 20)
        p.terminate()
        let status = await p.exited()
        let log = p.output
        #expect(exited && status == 2, "\(log)")
        #expect(log.contains("env TA: push source \"a\"'s token is 10 characters; a token needs at least 16"), "\(log)")
        #expect(!log.contains("tenchars10"), "the value was printed: \(log)")
    }

    /// With `server.port` 0 the server takes a free port and says which, at once, through a
    /// pipe (as under docker or systemd), not only when it exits.
    @Test(.timeLimit(.minutes(1)))
    func portZeroPrintsTheRealPortWhileRunning() async throws {
        let binary = try #require(Self.binary, "build the breakwater product first (swift build)")
        let p = try launch(binary, config: try writePushConfig(port: 0), environment: ["TA": "secret-token-for-tests"])
        defer { p.terminate() }
        var port: Int?
        for _ in 0..<200 where port == nil {
            let t = p.output
            port = t.range(of: "listening on http://127.0.0.1:").flatMap { r in
                Int(t[r.upperBound...].prefix { $0.isNumber })
            }
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let real = try #require(port, "the listening line while running: \(p.output)")
        #expect(real > 0)
        #expect(await get("http://127.0.0.1:\(real)/readyz")?.0 == 200)
    }
}
