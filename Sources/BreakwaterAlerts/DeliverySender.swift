import AsyncHTTPClient
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore
import BreakwaterWire
import Foundation
import NIOCore
import NIOHTTP1

/// What one HTTP attempt came to.
enum SendResult: Sendable, Equatable {
    /// 2xx.
    case delivered(status: Int)
    /// 408, 429, 5xx, 3xx (redirects are not followed), connection errors and timeouts, and
    /// configuration problems (an unset or malformed secret: fixed, then a restart, the next
    /// attempt goes through). `retryAfter` in seconds.
    case retry(status: Int?, error: String, retryAfter: Double?)
    /// Any other 4xx: the receiver refuses this notification, and trying again will not help.
    case stop(status: Int?, error: String)
}

/// Builds and sends the HTTP request for one stored delivery. One deadline, the destination's
/// `timeoutMs`, bounds the whole attempt: connecting, sending, the headers and the whole answer.
///
/// `client` must not follow redirects (`DeliverySender.clientConfiguration`): a 301/302 turns
/// the POST into a GET without the body, which a client following it would count as delivered.
struct DeliverySender: Sendable {
    let client: HTTPClient
    let environment: [String: String]

    /// For the client that sends notifications: redirects are answers, not followed.
    static var clientConfiguration: HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        c.redirectConfiguration = .disallow
        return c
    }

    /// The value of environment variable `name`, trimmed; nil when unset or blank.
    func variable(_ name: String?) -> String? { EnvironmentSecret.value(name, in: environment) }

    /// Sends `d` to `dest`, signing at `now` (epoch seconds). Rethrows cancellation only.
    func send(_ d: DeliveryRecord, to dest: Destination, now: EpochSeconds) async throws -> SendResult {
        let c = dest.config
        guard !c.url.isEmpty else {
            return .retry(status: nil, error: "URL variable \(c.urlEnv ?? "urlEnv") is not set", retryAfter: nil)
        }
        var body = d.body
        var request = HTTPClientRequest(url: c.format == .alertmanager ? AlertmanagerFormat.endpoint(c.url) : c.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "breakwater-alerts/1")
        switch c.format {
        case .standard:
            guard let name = c.secretEnv, let secret = variable(name) else {
                return .retry(
                    status: nil,
                    error: "secret variable \(c.secretEnv ?? "secretEnv") is not set",
                    retryAfter: nil
                )
            }
            do {
                for (k, v) in try StandardWebhook.headers(
                    id: d.id,
                    body: body,
                    secret: secret,
                    now: Int64(now.rounded(.down))
                ) {
                    request.headers.add(name: k, value: v)
                }
            } catch {
                return .retry(status: nil, error: "\(name): \(error)", retryAfter: nil)
            }
        case .pagerduty:
            guard let name = c.routingKeyEnv, let key = variable(name) else {
                return .retry(
                    status: nil,
                    error: "routing key variable \(c.routingKeyEnv ?? "routingKeyEnv") is not set",
                    retryAfter: nil
                )
            }
            body = PagerDutyFormat.withRoutingKey(body, key: key)
        case .alertmanager, .slack:
            break
        }
        request.body = .bytes(body)
        let client = self.client
        let limit = c.timeoutMs
        let prepared = request
        do {
            // The client's own deadline ends when the headers arrive; the race bounds the whole
            // attempt (connect, request, headers and body), so a receiver that stalls in the
            // middle of its body cannot hold the destination's queue.
            let answer = try await Self.within(milliseconds: limit) { () -> SendResult in
                let response = try await client.execute(prepared, timeout: .milliseconds(Int64(limit)))
                // Read to the end (the connection is then reusable) but keep none of it.
                var read = 0
                for try await chunk in response.body {
                    read += chunk.readableBytes
                    if read > Self.maxAnswerBytes { break }
                }
                return Self.classify(
                    status: Int(response.status.code),
                    retryAfter: response.headers.first(name: "retry-after"),
                    location: response.headers.first(name: "location"),
                    now: now
                )
            }
            if Task.isCancelled { throw CancellationError() }
            return answer ?? .retry(status: nil, error: Self.timedOut(limit), retryAfter: nil)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .retry(status: nil, error: Self.describe(error, timeoutMs: c.timeoutMs), retryAfter: nil)
        }
    }

    /// Answer bytes read before the rest is dropped (a receiver's answer body is not used).
    static let maxAnswerBytes = 1 << 16

    /// The error of an attempt that did not end within `timeoutMs`.
    static func timedOut(_ timeoutMs: Int) -> String { "no complete answer within timeoutMs (\(timeoutMs) ms)" }

    /// Runs `operation`, cancelling it after `milliseconds`; nil when the time ran out first.
    /// Rethrows the operation's errors and cancellation of the caller.
    static func within<T: Sendable>(
        milliseconds: Int,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64(milliseconds)))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// 2xx delivered; 3xx, 408, 429 and 5xx retry (honouring `Retry-After`, seconds or an HTTP
    /// date, from `now`); any other 4xx stops.
    static func classify(status: Int, retryAfter: String?, location: String? = nil, now: EpochSeconds) -> SendResult {
        switch status {
        case 200..<300:
            return .delivered(status: status)
        case 300..<400:
            let target = location.map { " to \(String($0.prefix(200)))" } ?? ""
            return .retry(
                status: status,
                error: "HTTP \(status) redirect\(target) not followed: set the destination URL to the final address",
                retryAfter: nil
            )
        case 408, 429, 500..<600:
            let after = retryAfter.flatMap { RetryAfter.seconds($0, now: now) }
            return .retry(status: status, error: "HTTP \(status)", retryAfter: after)
        default:
            return .stop(status: status, error: "HTTP \(status) (not retried)")
        }
    }

    /// A transport failure as an operator reads it.
    static func describe(_ error: any Error, timeoutMs: Int) -> String {
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return timedOut(timeoutMs)
            case .connectTimeout:
                return "could not connect within timeoutMs (\(timeoutMs) ms)"
            case .remoteConnectionClosed:
                return "the receiver closed the connection before answering"
            default:
                return "HTTP client: \(e)"
            }
        }
        let text = "\(error)"
        if text.contains("Connection refused") {
            return "connection refused (is the receiver running at that address?)"
        }
        if text.contains("stream ended at an unexpected time") {
            return "the receiver closed the connection in the middle of its answer"
        }
        return text
    }
}
