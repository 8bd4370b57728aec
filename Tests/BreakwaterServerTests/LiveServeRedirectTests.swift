import BreakwaterTestSupport
import BreakwaterVenues
import Foundation
import Testing

extension LiveServeTests {
    /// `breakwater serve` with a json source whose URL answers 302 to an internal server (at
    /// `localhost`, whose answer holds a secret): `GET /v1/markets` names the redirect's host
    /// only, the target is never asked, and its secret is nowhere in the answer or the logs.
    @Test(.timeLimit(.minutes(1)))
    func aRedirectingSourceNamesTheHostOnly() async throws {
        let binary = try #require(Self.binary, "build the breakwater product first (swift build)")
        let internalServer = try await RedirectingServer.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-redirect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let port = freePort()
        let config = dir.appendingPathComponent("config.json")
        try """
        {"server": {"host": "127.0.0.1", "port": \(port)}, "storage": {"path": "\(dir.path)/state.sqlite"},
         "markets": [{"id": "BTC-USD", "aggregation": {"minSources": 1},
                      "sources": [{"id": "internal", "kind": "json", "url": "\(internalServer.baseURL)/moved", "pricePointer": "/price", "intervalMs": 200}]}]}
        """.write(to: config, atomically: true, encoding: .utf8)
        let p = try await start(binary, config: config, port: port)
        var markets = ""
        for _ in 0..<100 {
            markets = await get("http://127.0.0.1:\(port)/v1/markets")?.1 ?? ""
            if markets.contains("redirect") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        p.terminate()
        _ = await p.exited(within: 10)
        let log = p.output
        await internalServer.stop()
        #expect(
            markets.contains("\"error\":\"JSON source: redirect (HTTP 302) to localhost: not followed"),
            "\(markets)"
        )
        #expect(!markets.contains(RedirectingServer.secret))
        #expect(log.contains("redirect (HTTP 302) to localhost"), "\(log)")
        #expect(!log.contains(RedirectingServer.secret))
        #expect(internalServer.requests("/moved") >= 1 && internalServer.requests("/internal") == 0)
    }
}
