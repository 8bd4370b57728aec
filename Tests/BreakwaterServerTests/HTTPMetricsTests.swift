import BreakwaterServer
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

struct HTTPMetricsTests {
    /// Through the server's router and a real registry (no global bootstrap): each request adds
    /// one to its (method, route pattern, status) counter and one observation to its histogram.
    @Test func aRequestIncrementsTheCounterInTheRegistry() async throws {
        let registry = PrometheusCollectorRegistry()
        let server = try await RouteTests().makeServer(registry: registry)
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            for _ in 0..<2 {
                let status = try await client.execute(uri: "/v1/health", method: .get) { $0.status }
                #expect(status == .ok)
            }
            let status = try await client.execute(uri: "/v1/markets/NOPE", method: .get) { $0.status }
            #expect(status == .notFound)
        }
        let text = registry.emitToString()
        #expect(
            text.contains(
                "# HELP breakwater_http_requests_total HTTP requests by method, route and status.\n# TYPE breakwater_http_requests_total counter\n"
            )
        )
        #expect(
            text.contains(#"breakwater_http_requests_total{method="GET",route="/v1/health",status="200"} 2"# + "\n"),
            "\(text)"
        )
        #expect(
            text.contains(
                #"breakwater_http_requests_total{method="GET",route="/v1/markets/{id}",status="404"} 1"# + "\n"
            )
        )
        #expect(text.contains("# TYPE breakwater_http_request_duration_seconds histogram\n"))
        #expect(
            text.contains(
                #"breakwater_http_request_duration_seconds_count{method="GET",route="/v1/health",status="200"} 2"#
                    + "\n"
            )
        )
        #expect(
            text.contains(
                #"breakwater_http_request_duration_seconds_bucket{method="GET",route="/v1/health",status="200",le="+Inf"} 2"#
                    + "\n"
            )
        )
    }
}
