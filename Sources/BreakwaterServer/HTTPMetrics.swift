import Hummingbird
public import Metrics
import Synchronization

/// HTTP request counts and durations per method, route pattern and status, recorded through
/// swift-metrics as `breakwater_http_requests_total` (counter) and
/// `breakwater_http_request_duration_seconds` (timer: a histogram in seconds). The handles of
/// each (method, route, status) are made once and kept, so a request costs one table lookup.
public final class HTTPMetrics: Sendable {
    struct Key: Hashable {
        var method: String
        var route: String
        var status: Int
    }
    struct Handles: Sendable {
        let count: Metrics.Counter
        let duration: Metrics.Timer
    }
    static let requests = "breakwater_http_requests_total"
    static let duration = "breakwater_http_request_duration_seconds"
    private let factory: any MetricsFactory
    private let table = Mutex<[Key: Handles]>([:])

    /// - Parameter factory: where the metrics go (the server's registry; not the global bootstrap).
    public init(factory: any MetricsFactory) { self.factory = factory }

    func record(method: String, route: String, status: Int, duration: Duration) {
        let key = Key(method: method, route: route, status: status)
        let handles = table.withLock { t in
            if let h = t[key] { return h }
            let labels = [("method", method), ("route", route), ("status", String(status))]
            let h = Handles(
                count: Counter(label: Self.requests, dimensions: labels, factory: factory),
                duration: Timer(label: Self.duration, dimensions: labels, factory: factory)
            )
            t[key] = h
            return h
        }
        handles.count.increment()
        handles.duration.recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
    }
}

/// Times every request and records it in `HTTPMetrics` (errors count with their status).
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.record(
            method: request.method.rawValue,
            route: context.endpointPath ?? "unknown",
            status: response.status.code,
            duration: ContinuousClock.now - start
        )
        return response
    }
}
