import BreakwaterWire
import Metrics
import Prometheus
import Testing

@testable import BreakwaterServer

struct BreakwaterMetricsFactoryTests {
    /// A swift-metrics timer is a Prometheus histogram in seconds with the service's buckets.
    @Test func timerIsAHistogramInSeconds() {
        let registry = PrometheusCollectorRegistry()
        let factory = BreakwaterMetricsFactory(registry: registry)
        let timer = Timer(
            label: "breakwater_http_request_duration_seconds",
            dimensions: [("route", "/x")],
            factory: factory
        )
        timer.recordMilliseconds(3)
        timer.recordMilliseconds(700)
        let text = registry.emitToString()
        #expect(text.contains("# HELP breakwater_http_request_duration_seconds HTTP request duration.\n"))
        #expect(text.contains("# TYPE breakwater_http_request_duration_seconds histogram\n"))
        #expect(
            text.contains(#"breakwater_http_request_duration_seconds_bucket{route="/x",le="0.0025"} 0"# + "\n"),
            "\(text)"
        )
        #expect(text.contains(#"breakwater_http_request_duration_seconds_bucket{route="/x",le="0.005"} 1"# + "\n"))
        #expect(text.contains(#"breakwater_http_request_duration_seconds_bucket{route="/x",le="0.5"} 1"# + "\n"))
        #expect(text.contains(#"breakwater_http_request_duration_seconds_bucket{route="/x",le="1.0"} 2"# + "\n"))
        #expect(text.contains(#"breakwater_http_request_duration_seconds_sum{route="/x"} 0.703"# + "\n"))
        // Another library's timer: the same buckets, no HELP of ours.
        Timer(label: "other_seconds", factory: factory).recordMilliseconds(1)
        #expect(registry.emitToString().contains(#"other_seconds_bucket{le="0.001"} 1"# + "\n"))
        #expect(!registry.emitToString().contains("# HELP other_seconds"))
    }

    /// Label values are escaped for the text format (by swift-prometheus, as `TextEscaping.prometheusLabel` does for the rest).
    @Test func labelValuesAreEscaped() {
        let registry = PrometheusCollectorRegistry()
        Counter(
            label: "breakwater_alert_deliveries_total",
            dimensions: [("destination", "a\"b\\c\nd"), ("result", "failed")],
            factory: BreakwaterMetricsFactory(registry: registry)
        ).increment()
        let line =
            #"breakwater_alert_deliveries_total{destination="# + "\"" + TextEscaping.prometheusLabel("a\"b\\c\nd")
            + #"",result="failed"} 1"#
        #expect(registry.emitToString().contains(line + "\n"), "\(registry.emitToString())")
        #expect(
            registry.emitToString().contains(
                "# HELP breakwater_alert_deliveries_total Alert notifications by destination and result.\n"
            )
        )
    }
}
