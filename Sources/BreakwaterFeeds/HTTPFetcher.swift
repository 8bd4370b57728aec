import AsyncHTTPClient
import BreakwaterConfig
import BreakwaterEngine
import NIOCore
import NIOHTTP1
import NIOHTTPCompression

/// Makes the requests of one poll: one overall timeout (headers and body, so a trickling body
/// times out), a body cap, a User-Agent, and errors as `FeedError`. A redirect is a poll error
/// naming the target's host, never followed: the target may be any server (an internal one,
/// or http behind an https URL) and what it answers must not reach `GET /v1/markets`.
struct HTTPFetcher: Sendable {
    /// For the client that polls venues: redirects are answers, not followed.
    static var clientConfiguration: HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        c.redirectConfiguration = .disallow
        return c
    }

    let client: HTTPClient
    let userAgent: String
    let clock: @Sendable () -> EpochSeconds
    /// Cap on a body, bytes.
    var maxBodyBytes = FeedLimits.maxBodyBytes

    /// Runs `requests` in order; returns their bodies. `timeout` (seconds) covers all of them.
    func fetch(_ requests: [FeedRequest], kind: SourceKind, timeout: Double) async throws -> [[UInt8]] {
        let result = try await withThrowingTaskGroup(of: [[UInt8]]?.self) { group in
            group.addTask {
                var bodies: [[UInt8]] = []
                for r in requests { bodies.append(try await self.one(r, kind: kind, timeout: timeout)) }
                return bodies
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let result else {
            throw FeedError(
                .timeout,
                "\(StatusErrors.venueName(kind)): no complete response within \(StatusErrors.formatWait(timeout))"
            )
        }
        return result
    }

    private func one(_ r: FeedRequest, kind: SourceKind, timeout: Double) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: r.url)
        request.method = r.method == .post ? .POST : .GET
        request.headers.add(name: "User-Agent", value: userAgent)
        request.headers.add(name: "Accept", value: "application/json")
        if let body = r.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        let venue = StatusErrors.venueName(kind)
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let status = Int(response.status.code)
            if (300..<400).contains(status), let location = response.headers.first(name: "Location") {
                throw StatusErrors.redirect(status: status, location: location, requestURL: r.url, kind: kind)
            }
            // A client that follows redirects anyway (one not made with `clientConfiguration`):
            // the first hop's answer is reported and the target's body is not read.
            if response.history.count > 1 {
                let hop = response.history[0]
                throw StatusErrors.redirect(
                    status: Int(hop.responseHead.status.code),
                    location: response.history[1].request.url,
                    requestURL: r.url,
                    kind: kind
                )
            }
            let ok = (200..<300).contains(Int(response.status.code))
            let bytes = try await read(response, cap: ok ? maxBodyBytes : 64 * 1024, venue: venue)
            if !ok {
                throw StatusErrors.error(
                    status: Int(response.status.code),
                    kind: kind,
                    retryAfter: response.headers.first(name: "Retry-After"),
                    body: bytes,
                    now: clock()
                )
            }
            return bytes
        } catch let e as FeedError {
            throw e
        } catch let e as HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout:
                throw FeedError(.timeout, "\(venue): request timed out (\(e))")
            default:
                throw FeedError(.transport, "\(venue): \(e)")
            }
        } catch is CancellationError {
            throw FeedError(.timeout, "\(venue): request cancelled")
        } catch NIOHTTPDecompression.DecompressionError.limit {
            // NIO's decompressor stops a body that inflates past its limit with a bare "limit".
            throw FeedError.badBody("\(venue): the compressed body inflates beyond the decompression limit")
        } catch let e as NIOHTTPDecompression.DecompressionError {
            throw FeedError.badBody("\(venue): the compressed body cannot be inflated (\(e))")
        } catch {
            throw FeedError(.transport, "\(venue): \(error)")
        }
    }

    /// Reads the body, stopping with `badBody` as soon as it passes `cap` bytes.
    private func read(_ response: HTTPClientResponse, cap: Int, venue: String) async throws -> [UInt8] {
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > cap {
            if cap < maxBodyBytes { return [] }
            throw FeedError.badBody("\(venue): body of \(length) bytes is larger than the \(cap)-byte cap")
        }
        var bytes: [UInt8] = []
        for try await chunk in response.body {
            if bytes.count + chunk.readableBytes > cap {
                if cap < maxBodyBytes { return bytes }
                throw FeedError.badBody("\(venue): body larger than the \(cap)-byte cap")
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }
}
