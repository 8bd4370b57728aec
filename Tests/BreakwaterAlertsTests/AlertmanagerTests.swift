import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterTestSupport
import Foundation
import MetricsTestKit
import Testing

@testable import BreakwaterAlerts

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts firing then resolved alerts to a real Alertmanager on 127.0.0.1 and reads them back from its API.
@Suite(.serialized) struct AlertmanagerTests {
    static let binary = "/usr/bin/prometheus-alertmanager"

    func get(_ url: String) async throws -> (Int, Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func alerts(_ base: String) async throws -> [[String: Any]] {
        let (_, data) = try await get("\(base)/api/v2/alerts")
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }

    @Test func firingThenResolvedInRealAlertmanager() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            print(
                "SKIPPED firingThenResolvedInRealAlertmanager: \(Self.binary) not installed "
                    + "(apt-get install prometheus-alertmanager)"
            )
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-am-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let configPath = dir.appendingPathComponent("alertmanager.yml")
        try "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n".write(
            to: configPath,
            atomically: true,
            encoding: .utf8
        )
        let port = Int.random(in: 30000..<60000)
        let base = "http://127.0.0.1:\(port)"
        // Awaited without blocking a thread (see ChildProcess); a defer cannot await its exit.
        let alertmanager = try ChildProcess(
            URL(fileURLWithPath: Self.binary),
            [
                "--config.file=\(configPath.path)", "--storage.path=\(dir.path)",
                "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=warn",
            ],
            mergingErrors: true
        )
        defer { alertmanager.terminate() }
        let ready = await eventually(10) { ((try? await get("\(base)/-/ready"))?.0 ?? 0) == 200 }
        try #require(ready, "alertmanager did not become ready on \(base)")

        let store = try RiskStateStore(path: tempDBPath())
        let config = alertsConfig([hook("am", url: base, format: .alertmanager, resendSeconds: 60)])
        let metrics = TestMetrics()
        let worker = DeliveryWorker(
            store: store,
            config: config,
            environment: [:],
            policy: fastPolicy,
            pollInterval: 0.05,
            metrics: metrics
        )
        let center = try AlertCenter(store: store, config: config, onEnqueue: { worker.wake() })
        let task = Task { try await worker.run() }
        defer { task.cancel() }

        let now = Date().timeIntervalSince1970
        try await center.process(
            events: [transition(from: .normal, to: .halted, reasons: [.manual], at: now)],
            snapshots: [],
            now: now
        )
        let fired = await eventually(15) {
            let a = (try? await alerts(base)) ?? []
            return a.contains { ($0["labels"] as? [String: String])?["alertname"] == "breaker.halted" }
        }
        #expect(fired)
        let active = try await alerts(base).first {
            ($0["labels"] as? [String: String])?["alertname"] == "breaker.halted"
        }
        #expect((active?["labels"] as? [String: String])?["market"] == "BTC-USD")
        #expect((active?["labels"] as? [String: String])?["severity"] == "critical")
        #expect((active?["status"] as? [String: Any])?["state"] as? String == "active")
        #expect((active?["annotations"] as? [String: String])?["summary"]?.contains("HALTED") == true)

        let later = Date().timeIntervalSince1970
        try await center.process(
            events: [transition(from: .halted, to: .normal, reasons: [], at: later)],
            snapshots: [],
            now: later
        )
        let gone = await eventually(15) {
            let a = (try? await alerts(base)) ?? [["x": 1]]
            return !a.contains { ($0["labels"] as? [String: String])?["alertname"] == "breaker.halted" }
        }
        #expect(gone, "resolved alert (endsAt = now) is no longer active in Alertmanager")
        // The worker counts a delivery after Alertmanager answered: wait for the count.
        #expect(await eventually(10) { deliveries(metrics, "am", "delivered") == 2 })
        #expect(deliveries(metrics, "am", "failed") == 0)
    }
}
