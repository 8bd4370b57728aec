import BreakwaterTestSupport
import Foundation
import Testing

/// Two `breakwater serve` processes on one PostgreSQL database: a source disabled through one
/// shows as disabled on the other within a second, and enabled again the same way.
extension ReplicaServeTests {
    /// The status replica `port` serves for source `source` of BTC-USD.
    func sourceStatus(_ port: Int, _ source: String) async -> String? {
        guard let body = await live.get("http://127.0.0.1:\(port)/v1/markets/BTC-USD")?.1,
            let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let sources = json["sources"] as? [[String: Any]]
        else { return nil }
        return sources.first { $0["id"] as? String == source }?["status"] as? String
    }

    /// How long replica `port` took to serve source `b` as `disabled` (or not), nil when not
    /// within 3 s of `since`.
    func untilSourceB(_ port: Int, disabled: Bool, since: ContinuousClock.Instant) async throws -> Duration? {
        while ContinuousClock.now - since < .seconds(3) {
            if (await sourceStatus(port, "b") == "disabled") == disabled { return ContinuousClock.now - since }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test(.timeLimit(.minutes(2)))
    func aSourceSwitchThroughOneReplicaHoldsOnTheOtherWithinASecond() async throws {
        let binary = try #require(LiveServeTests.binary, "build the breakwater product first (swift build)")
        let url = try await TestPostgres.shared().newDatabase()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-replicas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("config.json")
        try """
        {"server": {"host": "127.0.0.1", "port": 0, "tickMs": 100, "adminTokenEnv": "BW_ADMIN"},
         "storage": {"kind": "postgres", "urlEnv": "BREAKWATER_DATABASE_URL"},
         "markets": [{"id": "BTC-USD", "sources": [{"id": "a", "kind": "push", "tokenEnv": "BW_PUSH"},
                                                    {"id": "b", "kind": "push", "tokenEnv": "BW_PUSH_B"}],
                      "aggregation": {"minSources": 1, "maxAgeMs": 3000}}]}
        """.write(to: config, atomically: true, encoding: .utf8)
        let ports = [live.freePort(), live.freePort()]
        var replicas: [ChildProcess] = []
        defer { for r in replicas { r.kill() } }
        for port in ports {
            let env = [
                "BREAKWATER_DATABASE_URL": url, "BW_ADMIN": Self.adminToken, "BW_PUSH": Self.pushToken,
                "BW_PUSH_B": Self.pushToken + "-b", "BREAKWATER_PORT": "\(port)",
            ]
            replicas.append(try await live.start(binary, config: config, port: port, environment: env))
        }
        #expect(await sourceStatus(ports[1], "b") != "disabled")

        let disable = "http://127.0.0.1:\(ports[0])/v1/markets/BTC-USD/sources/b/disable"
        #expect(await live.post(disable, token: Self.adminToken, body: "{}") == 200)
        let disabled = try await untilSourceB(ports[1], disabled: true, since: .now)
        #expect(disabled.map { $0 < .seconds(1) } == true, "\(String(describing: disabled))")
        #expect(await sourceStatus(ports[1], "a") != "disabled", "only the source switched")

        let enable = "http://127.0.0.1:\(ports[1])/v1/markets/BTC-USD/sources/b/enable"
        #expect(await live.post(enable, token: Self.adminToken, body: "{}") == 200)
        let enabled = try await untilSourceB(ports[0], disabled: false, since: .now)
        #expect(enabled.map { $0 < .seconds(1) } == true, "\(String(describing: enabled))")
    }
}
