import BreakwaterEngine
import BreakwaterStore
import BreakwaterWire
public import HTTPTypes
public import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Every error response: `{"error": {"code": "...", "message": "..."}}` with its status.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// Most characters of caller input an error message quotes (`echo`).
    static let echoLimit = 200
    /// Longest message sent, Unicode scalars: a backstop for a message that quotes caller input
    /// without `echo`; our own words and a few echoes fit well within it.
    static let messageLimit = 1_000

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var h = headers
        h[.contentType] = "application/json"
        let body = ErrorDocument(
            error: .init(code: code, message: PrintableText.escaped(message, limit: Self.messageLimit))
        )
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: WireJSON.encode(body))))
    }

    /// The body: `{"error": {"code": "...", "message": "..."}}` (docs/openapi.json, `Error`).
    struct ErrorDocument: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }
        var error: Detail
    }

    /// Caller input (an id, a path, a field name or value) as an error message quotes it: at most
    /// `echoLimit` characters with "…" after a cut, control and invisible characters escaped.
    /// A 70,000-character market id does not come back as a 70 KB 404.
    static func echo<S: StringProtocol>(_ input: S) -> String {
        PrintableText.escaped(input, limit: echoLimit)
    }

    /// A 400 naming the offending field (echoed: a field name may be a caller's object key).
    static func badRequest(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, "invalid_request", "\(echo(field)): \(message)")
    }

    /// 503 for a change that storage did not keep: `storage_busy` when another process kept the
    /// database locked past the busy timeout (it may pass), else `storage_unavailable`.
    static func notStored(_ failure: NotStored, _ message: String) -> APIError {
        APIError(.serviceUnavailable, failure.busy ? "storage_busy" : "storage_unavailable", message)
    }
}

/// Turns every error (ours, Hummingbird's, anything thrown) into the JSON error shape, and a
/// 404 on a known path with another method into 405.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Known paths (with `*` for one segment) and their methods.
    let routes: [(pattern: [Substring], methods: [HTTPRequest.Method])]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as APIError {
            return try e.response(from: request, context: context)
        } catch let e as HTTPError {
            return try translate(e, request: request).response(from: request, context: context)
        } catch let e as StoreError where e.kind != .other {
            context.logger.error("storage error", metadata: ["path": "\(request.uri.path)", "error": "\(e)"])
            return try APIError.notStored(
                NotStored(reason: e.description, busy: e.kind == .busy),
                e.kind == .busy
                    ? "storage is busy: another process kept the database locked for the "
                        + "\(Int(RiskStateStore.busyTimeoutSeconds)) s busy timeout; retry"
                    : "storage is not available; see /readyz"
            )
            .response(from: request, context: context)
        } catch  where Self.clientGone(error) {
            // The client closed the connection before sending its whole request; nobody reads
            // this answer, but the metrics show it as 499 (as nginx does), not as our failure.
            context.logger.debug(
                "client closed the request",
                metadata: ["path": "\(request.uri.path)", "error": "\(error)"]
            )
            return try APIError(
                HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request"),
                "client_closed_request",
                "the client closed the connection before the request was complete"
            )
            .response(from: request, context: context)
        } catch let e as HTTPParserError {
            return try APIError(.badRequest, "invalid_request", "malformed HTTP request: \(e)").response(
                from: request,
                context: context
            )
        } catch {
            context.logger.error(
                "request failed",
                metadata: [
                    "method": "\(request.method)", "path": "\(request.uri.path)",
                    "error": "\(String(reflecting: error))",
                ]
            )
            return try APIError(.internalServerError, "internal", "internal error").response(
                from: request,
                context: context
            )
        }
    }

    /// True for the errors of a request body cut short by the client (connection closed).
    static func clientGone(_ error: any Error) -> Bool {
        switch error {
        case HTTPParserError.invalidEOFState, HTTPParserError.closedConnection: true
        case ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.inputClosed, ChannelError.outputClosed: true
        case is CancellationError: true
        default: false
        }
    }

    func translate(_ e: HTTPError, request: Request) -> APIError {
        switch e.status {
        case .notFound:
            let parts = request.uri.path.split(separator: "/")
            if let r = routes.first(where: { matches($0.pattern, parts) }), !r.methods.contains(request.method) {
                // Every GET route answers HEAD too (the router's autoGenerateHeadEndpoints).
                let allowed = r.methods.flatMap { $0 == .get ? [.get, .head] : [$0] }.map(\.rawValue).joined(
                    separator: ", "
                )
                var err = APIError(
                    .methodNotAllowed,
                    "method_not_allowed",
                    "\(APIError.echo(request.method.rawValue)) is not allowed on \(APIError.echo(request.uri.path)) (allowed: \(allowed))"
                )
                err.headers[.allow] = allowed
                return err
            }
            return APIError(
                .notFound,
                "not_found",
                "no route for \(APIError.echo(request.method.rawValue)) \(APIError.echo(request.uri.path))"
            )
        case .contentTooLarge:
            return APIError(.contentTooLarge, "payload_too_large", e.body ?? "request body is larger than allowed")
        default:
            return APIError(
                e.status,
                e.status.reasonPhrase.lowercased().split(separator: " ").joined(separator: "_"),
                e.body ?? e.status.reasonPhrase
            )
        }
    }

    func matches(_ pattern: [Substring], _ parts: [Substring]) -> Bool {
        pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0 == "*" || $0 == $1 }
    }
}
