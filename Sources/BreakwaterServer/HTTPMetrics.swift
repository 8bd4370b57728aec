import BreakwaterWire
import Hummingbird
import Synchronization

/// HTTP request counts and durations per method, route pattern and status, kept in one
/// mutex-protected table (cheaper per request than a labelled metric lookup) and rendered with
/// the other metrics as `breakwater_http_requests_total` and `breakwater_http_request_duration_seconds`.
public final class HTTPMetrics: Sendable {
    struct Key: Hashable { var method: String; var route: String; var status: Int }
    struct Stats { var count = 0; var sum = 0.0; var buckets = [Int](repeating: 0, count: HTTPMetrics.bounds.count) }
    /// Histogram upper bounds, seconds.
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
    private let table = Mutex<[Key: Stats]>([:])

    public init() {}

    func record(method: String, route: String, status: Int, seconds: Double) {
        table.withLock { t in
            let key = Key(method: method, route: route, status: status)
            var s = t[key] ?? Stats()
            s.count += 1
            s.sum += seconds
            if let i = Self.bounds.firstIndex(where: { seconds <= $0 }) { s.buckets[i] += 1 }
            t[key] = s
        }
    }

    /// Prometheus text for both families.
    func render() -> String {
        let rows = table.withLock { $0 }.sorted { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }
        var out = "# HELP breakwater_http_requests_total HTTP requests by method, route and status.\n# TYPE breakwater_http_requests_total counter\n"
        for (k, s) in rows { out += "breakwater_http_requests_total{\(labels(k))} \(s.count)\n" }
        out += "# HELP breakwater_http_request_duration_seconds HTTP request duration.\n# TYPE breakwater_http_request_duration_seconds histogram\n"
        for (k, s) in rows {
            var cumulative = 0
            for (i, bound) in Self.bounds.enumerated() {
                cumulative += s.buckets[i]
                out += "breakwater_http_request_duration_seconds_bucket{\(labels(k)),le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "breakwater_http_request_duration_seconds_bucket{\(labels(k)),le=\"+Inf\"} \(s.count)\n"
            out += "breakwater_http_request_duration_seconds_sum{\(labels(k))} \(s.sum)\n"
            out += "breakwater_http_request_duration_seconds_count{\(labels(k))} \(s.count)\n"
        }
        return out
    }

    private func labels(_ k: Key) -> String {
        "method=\"\(TextEscaping.prometheusLabel(k.method))\",route=\"\(TextEscaping.prometheusLabel(k.route))\",status=\"\(k.status)\""
    }
}

/// Times every request and records it in `HTTPMetrics` (errors count with their status).
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        metrics.record(method: request.method.rawValue, route: context.endpointPath ?? "unknown", status: response.status.code, seconds: seconds)
        return response
    }
}
