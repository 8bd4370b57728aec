import Foundation
import Testing

/// Runs the built `breakwater` binary as a user would: start, query over 127.0.0.1, SIGTERM, exit code.
struct LiveServeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

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
        // A tiny HTTP/1.0 GET over a socket via curl-free Foundation: use `URLSession` where available.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import urllib.request,sys\ntry:\n r=urllib.request.urlopen(sys.argv[1],timeout=2); print(r.status); print(r.read().decode())\nexcept urllib.error.HTTPError as e:\n print(e.code); print(e.read().decode())", u.absoluteString]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        do { try p.run() } catch { return nil }
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n", maxSplits: 1)
        guard let first = lines.first, let code = Int(first) else { return nil }
        return (code, lines.count > 1 ? String(lines[1]) : "")
    }

    @Test(.timeLimit(.minutes(1)))
    func serveAnswersThenStopsCleanlyOnSIGTERM() async throws {
        let binary = try #require(Self.binary, "build the breakwater product first (swift build)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let port = freePort()
        let config = """
        {"server": {"host": "127.0.0.1", "port": \(port)}, "storage": {"path": "\(dir.path)/state.sqlite"},
         "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "TA"}], "aggregation": {"minSources": 1}}]}
        """
        try config.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = binary
        p.arguments = ["serve", "--config", dir.appendingPathComponent("config.json").path]
        p.environment = ["TA": "secret", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        var ready = false
        for _ in 0..<100 {
            if let (code, _) = await get("http://127.0.0.1:\(port)/readyz"), code == 200 { ready = true; break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(ready, "the server became ready")
        let market = await get("http://127.0.0.1:\(port)/v1/markets/BTC-USD")
        #expect(market?.0 == 200)
        #expect(market?.1.contains("\"id\":\"BTC-USD\"") == true)
        #expect(await get("http://127.0.0.1:\(port)/v1/markets/ETH-USD")?.0 == 404)
        p.terminate() // SIGTERM
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!p.isRunning, "exited within 10 s of SIGTERM")
        #expect(p.terminationStatus == 0)
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("listening on http://127.0.0.1:\(port)"))
        #expect(log.contains("market BTC-USD"))
    }
}
