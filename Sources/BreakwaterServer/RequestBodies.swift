import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

/// Reading and validating request bodies into typed values, with the offending field named.
enum RequestBodies {
    /// Body caps in bytes.
    static let defaultLimit = 1 << 20
    static let pricesLimit = 4 << 20
    static let maxQuotesPerPush = 10_000

    /// Collects a JSON body up to `limit` bytes (415 for another content type, 413 past the cap).
    static func json(_ request: Request, limit: Int = defaultLimit, optional: Bool = false) async throws -> JSONValue? {
        let buffer = try await collect(request, limit: limit, optional: optional)
        if buffer.readableBytes == 0 { return nil }
        return try decode(buffer)
    }

    /// Parses collected bytes as JSON (400 when they are not).
    static func decode(_ buffer: ByteBuffer) throws -> JSONValue {
        do {
            // Bodies are at most three levels deep; 32 keeps a hostile one off the stack.
            return try JSONValue.parse(Data(buffer: buffer), maxDepth: 32)
        } catch {
            throw APIError(
                .badRequest,
                "invalid_json",
                "body is not valid JSON: \(APIError.echo(String(describing: error)))"
            )
        }
    }

    /// True for `application/json`, with or without parameters (`; charset=utf-8`), any case.
    static func isJSON(_ contentType: String) -> Bool {
        let media =
            contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return media.lowercased() == "application/json"
    }

    /// Collects the body bytes after checking the content type and the size cap.
    static func collect(_ request: Request, limit: Int, optional: Bool = false) async throws -> ByteBuffer {
        if let type = request.headers[.contentType], !isJSON(type) {
            throw APIError(
                .unsupportedMediaType,
                "unsupported_media_type",
                "expected Content-Type: application/json, got \(APIError.echo(type))"
            )
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(
                .contentTooLarge,
                "payload_too_large",
                "body of \(length) bytes is over the \(limit)-byte limit"
            )
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let e as HTTPError where e.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "payload_too_large", "body is over the \(limit)-byte limit")
        } catch is NIOTooManyBytesError {
            // A chunked body (no Content-Length) over the cap.
            throw APIError(.contentTooLarge, "payload_too_large", "body is over the \(limit)-byte limit")
        }
        if buffer.readableBytes == 0 {
            if optional { return buffer }
            throw APIError(.badRequest, "invalid_request", "body: expected a JSON object, got an empty body")
        }
        if request.headers[.contentType] == nil {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "expected Content-Type: application/json")
        }
        return buffer
    }

    /// `POST /v1/prices`: the push source and its quotes; bad quotes are returned, not thrown.
    static func prices(
        _ value: JSONValue
    ) throws -> (source: String, quotes: [(Int, PushQuote)], rejected: [(Int, String)]) {
        guard case let .object(o) = value else {
            throw APIError.badRequest("body", "expected an object with \"source\" and \"prices\"")
        }
        for key in o.keys where key != "source" && key != "prices" {
            throw APIError.badRequest(key, "unknown field (expected source, prices)")
        }
        guard case let .string(source)? = o["source"], !source.isEmpty else {
            throw APIError.badRequest("source", "expected the push source id as a string")
        }
        guard case let .array(items)? = o["prices"] else {
            throw APIError.badRequest("prices", "expected an array of quotes")
        }
        guard items.count <= maxQuotesPerPush else {
            throw APIError.badRequest(
                "prices",
                "\(items.count) quotes is more than the \(maxQuotesPerPush) allowed per request"
            )
        }
        var quotes: [(Int, PushQuote)] = []
        var rejected: [(Int, String)] = []
        quotes.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            switch quote(item) {
            case let .success(q): quotes.append((i, q))
            case let .failure(reason): rejected.append((i, reason.message))
            }
        }
        return (source, quotes, rejected)
    }

    struct Reason: Error { var message: String }

    static func quote(_ v: JSONValue) -> Result<PushQuote, Reason> {
        guard case let .object(o) = v else {
            return .failure(Reason(message: "expected an object {market, price, timestamp, confidence?}"))
        }
        for key in o.keys where !["market", "price", "timestamp", "confidence"].contains(key) {
            return .failure(Reason(message: "\(APIError.echo(key)): unknown field"))
        }
        guard case let .string(market)? = o["market"] else {
            return .failure(Reason(message: "market: expected a string"))
        }
        guard case let .number(price)? = o["price"] else {
            return .failure(Reason(message: "price: expected a number, got \(o["price"]?.typeName ?? "nothing")"))
        }
        let time: Double
        switch o["timestamp"] {
        case let .number(t)?: time = t
        case let .string(s)?:
            guard let t = RFC3339.parse(s) else {
                return .failure(Reason(message: "timestamp: \"\(APIError.echo(s))\" is not RFC 3339"))
            }
            time = t
        default: return .failure(Reason(message: "timestamp: expected RFC 3339 or unix seconds"))
        }
        var confidence: Double?
        switch o["confidence"] {
        case nil, .null?: break
        case let .number(c)?: confidence = c
        case let other?: return .failure(Reason(message: "confidence: expected a number, got \(other.typeName)"))
        }
        return .success(PushQuote(market: market, price: price, time: time, confidence: confidence))
    }

    /// `POST .../halt`: reason (required) and an optional duration in seconds.
    static func halt(_ value: JSONValue?) throws -> (reason: String, durationSeconds: Double?) {
        guard case let .object(o)? = value else {
            throw APIError.badRequest("body", "expected {\"reason\": \"...\", \"durationSeconds\": 300}")
        }
        for key in o.keys where key != "reason" && key != "durationSeconds" {
            throw APIError.badRequest(key, "unknown field (expected reason, durationSeconds)")
        }
        guard case let .string(reason)? = o["reason"] else {
            throw APIError.badRequest("reason", "expected a non-empty string")
        }
        // It is logged, stored and served with the market: one readable line.
        try OperatorText.check(reason, field: "reason", maxBytes: OperatorText.maxReasonBytes)
        var duration: Double?
        switch o["durationSeconds"] {
        case nil, .null?: break
        case let .number(d)? where d.isFinite && d > 0 && d <= 30 * 86_400: duration = d
        default: throw APIError.badRequest("durationSeconds", "expected a number of seconds in (0, 2592000]")
        }
        return (reason, duration)
    }
}
