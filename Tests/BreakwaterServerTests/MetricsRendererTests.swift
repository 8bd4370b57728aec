import BreakwaterTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@testable import BreakwaterServer

struct MetricsRendererTests {
    static let promtool = "/usr/bin/promtool"

    /// A scrape after some traffic: the families the dashboards and rules use keep their names and
    /// types, the registry's (HTTP, process) follow the board's, and `promtool check metrics`
    /// (the Prometheus linter: syntax, HELP, counter suffixes, histogram buckets) finds nothing.
    @Test func exposition_passesPromtoolCheckMetrics() async throws {
        let server = try await RouteTests().makeServer()
        let app = Application(router: server.router())
        let text = try await app.test(.router) { client in
            _ = try await client.execute(uri: "/v1/health", method: .get) { $0.status }
            _ = try await client.execute(uri: "/v1/markets/NOPE", method: .get) { $0.status }
            _ = try await client.execute(
                uri: "/v1/prices",
                method: .post,
                headers: [.authorization: "Bearer wrong-token-xxxxxxxxxxxx"]
            ) { $0.status }
            return try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        }
        for (name, type) in [
            ("breakwater_build_info", "gauge"), ("breakwater_market_breaker_state", "gauge"),
            ("breakwater_source_up", "gauge"),
            ("breakwater_source_status", "gauge"), ("breakwater_market_margin_at_rise_bound", "gauge"),
            ("breakwater_alert_outbox_pending", "gauge"), ("breakwater_http_requests_total", "counter"),
            ("breakwater_alert_lease_held", "gauge"), ("breakwater_storage_write_seconds", "gauge"),
            ("breakwater_alert_delivery_claims_total", "counter"),
            ("breakwater_http_request_duration_seconds", "histogram"), ("process_cpu_seconds_total", "counter"),
            ("process_resident_memory_bytes", "gauge"), ("process_open_fds", "gauge"),
            ("process_start_time_seconds", "gauge"),
            // Declared although nothing recorded them yet (no destination, no polled feed here): the
            // Deploy/ rules and dashboard query them.
            ("breakwater_alert_deliveries_total", "counter"), ("breakwater_feed_latency_seconds", "gauge"),
            ("breakwater_feed_polls_total", "counter"), ("breakwater_feed_consecutive_failures", "gauge"),
        ] {
            #expect(text.contains("# TYPE \(name) \(type)\n"), "\(name)")
        }
        #expect(
            text.contains(#"breakwater_http_requests_total{method="GET",route="/v1/health",status="200"} 1"# + "\n"),
            "\(text)"
        )
        guard FileManager.default.isExecutableFile(atPath: Self.promtool) else {
            print("SKIPPED promtool check metrics: \(Self.promtool) not installed (apt-get install prometheus)")
            return
        }
        let (status, output, _) = try await ChildProcess.run(
            URL(fileURLWithPath: Self.promtool),
            ["check", "metrics"],
            input: .text(text),
            mergingErrors: true
        )
        #expect(status == 0 && output.isEmpty, "promtool: \(output)\n\(text)")
        // The check can fail: a counter without its _total suffix is reported.
        let (badStatus, badOutput, _) = try await ChildProcess.run(
            URL(fileURLWithPath: Self.promtool),
            ["check", "metrics"],
            input: .text("# HELP x_bytes X.\n# TYPE x_bytes counter\nx_bytes 1\n"),
            mergingErrors: true
        )
        #expect(badStatus != 0 && badOutput.contains("x_bytes"), "\(badOutput)")
    }
}
