import Foundation
import HTTPTypes
import Hummingbird

/// Builds HTTP answers: real bodies and every fault mode. Every answer carries `X-Breakwater-Simulated: true`.
enum VenueResponses {
    static let simulated = HTTPField.Name("X-Breakwater-Simulated")!

    static func json(_ text: String, status: Int = 200) -> Response {
        response(Array(text.utf8), status: status, contentType: "application/json")
    }

    static func response(_ bytes: [UInt8], status: Int, contentType: String, extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: contentType, simulated: "true"]
        headers.append(contentsOf: extra)
        return Response(
            status: .init(code: status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// The answer for `mode` given the real body the venue would send (nil for an unknown symbol).
    static func answer(_ venue: Venue, mode: VenueMode, body: () -> String?) async throws -> Response {
        switch mode {
        case .normal, .frozen, .badPrice:
            return real(venue, body())
        case let .hang(seconds):
            try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            return real(venue, body())
        case let .htmlError(status):
            return response(
                Array(VenueFormats.htmlPage(status: status).utf8),
                status: status,
                contentType: "text/html; charset=UTF-8"
            )
        case let .rateLimited(seconds):
            return response(
                Array(#"{"error":"rate limited (simulated)"}"#.utf8),
                status: 429,
                contentType: "application/json",
                extra: [.retryAfter: "\(seconds)"]
            )
        case .serverError:
            return json(#"{"message":"Internal Server Error (simulated)"}"#, status: 500)
        case .emptyBody:
            return response([], status: 200, contentType: "application/json")
        case .truncatedJSON:
            let full = Array((body() ?? #"{"data":{"amount":"1"}}"#).utf8)
            return response(Array(full.prefix(max(1, full.count / 2))), status: 200, contentType: "application/json")
        case let .oversizeBody(bytes):
            let filler = String(repeating: "x", count: max(0, bytes))
            return json(#"{"padding":"\#(filler)"}"#)
        case let .trickle(rate):
            let bytes = Array((body() ?? "{}").utf8)
            let pause = Duration.milliseconds(Int64(1000 / max(rate, 0.001)))
            let headers: HTTPFields = [.contentType: "application/json", simulated: "true"]
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody(contentLength: bytes.count) { writer in
                    for b in bytes {
                        try await writer.write(ByteBuffer(bytes: [b]))
                        try await Task.sleep(for: pause)
                    }
                    try await writer.finish(nil)
                }
            )
        case .geoBlocked:
            switch venue {
            case .binance:
                return json(
                    #"{"code":0,"msg":"Service unavailable from a restricted location according to 'b. Eligibility' in https://www.binance.com/en/terms. (simulated)"}"#,
                    status: 451
                )
            default:
                return response(
                    Array(
                        "<html><head><title>403 Forbidden</title></head><body>The request could not be satisfied (simulated).</body></html>"
                            .utf8
                    ),
                    status: 403,
                    contentType: "text/html"
                )
            }
        case .venueError:
            return json(venueError(venue))
        }
    }

    static func real(_ venue: Venue, _ body: String?) -> Response {
        guard let body else { return notFound(venue) }
        return json(body)
    }

    /// The venue's own error envelope, answered with HTTP 200 the way these venues often do.
    static func venueError(_ venue: Venue) -> String {
        switch venue {
        case .coinbase: #"{"errors":[{"id":"internal_server_error","message":"simulated venue error"}]}"#
        case .coinbaseExchange: #"{"message":"simulated venue error"}"#
        case .kraken: #"{"error":["EService:Unavailable"],"result":{}}"#
        case .binance: #"{"code":-1003,"msg":"Too much request weight used (simulated)."}"#
        case .bitstamp: #"{"status":"error","reason":"simulated venue error"}"#
        case .okx: #"{"code":"50011","msg":"Too Many Requests (simulated)","data":[]}"#
        case .bybit: #"{"retCode":10006,"retMsg":"Too many visits! (simulated)","result":{},"retExtInfo":{},"time":0}"#
        case .pyth: #"{"binary":{"encoding":"hex","data":[]},"parsed":[]}"#
        case .chainlink: #"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"execution reverted (simulated)"}}"#
        case .json: #"{"error":"simulated venue error"}"#
        }
    }

    static func notFound(_ venue: Venue) -> Response {
        switch venue {
        case .kraken: json(#"{"error":["EQuery:Unknown asset pair"]}"#)
        case .binance: json(#"{"code":-1121,"msg":"Invalid symbol."}"#, status: 400)
        case .okx: json(#"{"code":"51001","msg":"Instrument ID does not exist","data":[]}"#)
        case .bybit: json(#"{"retCode":10001,"retMsg":"Not supported symbols","result":{},"retExtInfo":{},"time":0}"#)
        default: json(#"{"message":"NotFound"}"#, status: 404)
        }
    }
}
