import AsyncHTTPClient
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore

/// What one HTTP attempt came to.
enum SendResult: Sendable, Equatable {
    /// 2xx.
    case delivered(status: Int)
    /// 408, 429, 5xx, connection errors and timeouts. `retryAfter` in seconds.
    case retry(status: Int?, error: String, retryAfter: Double?)
    /// Any other answer, or a configuration problem: trying again will not help.
    case stop(status: Int?, error: String)
}

/// Builds and sends the HTTP request for one stored delivery.
struct DeliverySender: Sendable {
    let client: HTTPClient
    let environment: [String: String]

    /// Sends `d` to `dest`, signing at `now` (epoch seconds). Rethrows cancellation only.
    func send(_ d: DeliveryRecord, to dest: Destination, now: EpochSeconds) async throws -> SendResult {
        let c = dest.config
        guard !c.url.isEmpty else { return .stop(status: nil, error: "URL variable \(c.urlEnv ?? "urlEnv") is not set") }
        var body = d.body
        var request = HTTPClientRequest(url: c.format == .alertmanager ? AlertmanagerFormat.endpoint(c.url) : c.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "breakwater-alerts/1")
        switch c.format {
        case .standard:
            guard let name = c.secretEnv, let secret = environment[name] else {
                return .stop(status: nil, error: "secret variable \(c.secretEnv ?? "secretEnv") is not set")
            }
            do {
                for (k, v) in try StandardWebhook.headers(id: d.id, body: body, secret: secret, now: Int64(now.rounded(.down))) {
                    request.headers.add(name: k, value: v)
                }
            } catch {
                return .stop(status: nil, error: "\(name): \(error)")
            }
        case .pagerduty:
            guard let name = c.routingKeyEnv, let key = environment[name] else {
                return .stop(status: nil, error: "routing key variable \(c.routingKeyEnv ?? "routingKeyEnv") is not set")
            }
            body = PagerDutyFormat.withRoutingKey(body, key: key)
        case .alertmanager, .slack:
            break
        }
        request.body = .bytes(body)
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(c.timeoutMs)))
            _ = try? await response.body.collect(upTo: 1 << 16)
            return Self.classify(status: Int(response.status.code), retryAfter: response.headers.first(name: "retry-after"))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .retry(status: nil, error: "\(error)", retryAfter: nil)
        }
    }

    /// 2xx delivered; 408, 429 and 5xx retry (honouring `Retry-After` seconds); anything else stops.
    static func classify(status: Int, retryAfter: String?) -> SendResult {
        switch status {
        case 200..<300:
            return .delivered(status: status)
        case 408, 429, 500..<600:
            let after = retryAfter.flatMap { Double($0.trimmingCharacters()) }
            return .retry(status: status, error: "HTTP \(status)", retryAfter: after)
        default:
            return .stop(status: status, error: "HTTP \(status) (not retried)")
        }
    }
}

extension String {
    func trimmingCharacters() -> Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
