import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire
import Foundation

/// Limits every decoder applies.
public enum FeedLimits {
    /// Largest body read, bytes (1 MiB). Larger bodies are a `badBody` error.
    public static let maxBodyBytes = 1 << 20
    /// Prices outside [minPrice, maxPrice] are absurd (`badPrice`), in the venue's quote currency.
    public static let minPrice = 1e-9
    public static let maxPrice = 1e12
}

/// Turning raw bytes into JSON and JSON into numbers, with errors a person can act on.
enum JSONReading {
    /// Parses a body as JSON; HTML pages, empty, oversize and truncated bodies are `badBody` errors.
    static func parse(_ bytes: [UInt8], venue: String) throws -> JSONValue {
        if bytes.count > FeedLimits.maxBodyBytes {
            throw FeedError.badBody(
                "\(venue): body of \(bytes.count) bytes is larger than the \(FeedLimits.maxBodyBytes)-byte cap"
            )
        }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else {
            throw FeedError.badBody("\(venue): empty body")
        }
        if bytes[first] == UInt8(ascii: "<") {
            throw FeedError.badBody(
                "\(venue): HTML page instead of JSON\(htmlTitle(bytes).map { " (\"\($0)\")" } ?? "")"
            )
        }
        do {
            // The strict reader: a number no Double holds (1e400) or a key given twice is named
            // as such, with line and column, instead of "malformed".
            return try JSONValue.parse(Data(bytes), maxDepth: 64)
        } catch {
            let opener = bytes[first] == UInt8(ascii: "{") || bytes[first] == UInt8(ascii: "[")
            if opener {
                throw FeedError.badBody(
                    "\(venue): \(error.truncated ? "truncated" : "malformed") JSON (\(bytes.count) bytes): \(error)"
                )
            }
            throw FeedError.badBody("\(venue): body of \(bytes.count) bytes is not JSON")
        }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// Longest venue-supplied text kept in a message (an error code or message field), characters.
    static let maxVenueTextLength = 120

    /// `text` from a venue, cut to `maxVenueTextLength` (`FeedError` escapes control characters).
    static func venueText(_ text: String) -> String {
        text.count > maxVenueTextLength ? String(text.prefix(maxVenueTextLength)) + "…" : text
    }

    /// The error code and message a JSON error body names in its usual fields (`code`,
    /// `retCode`, `message`, `msg`, `retMsg`, `error`, `errors`, JSON-RPC's `error.message`),
    /// each cut by `venueText`; nil when the body is not a JSON object holding one. Never
    /// any other part of the body.
    static func errorFields(_ bytes: [UInt8]) -> String? {
        guard bytes.count <= FeedLimits.maxBodyBytes,
            case let .object(o)? = try? JSONValue.parse(Data(bytes), maxDepth: 8)
        else { return nil }
        func short(_ v: JSONValue?) -> String? {
            switch v {
            case let .string(s)? where !s.isEmpty: venueText(s)
            case let .number(d)? where d.isFinite && d == d.rounded() && abs(d) < 1e15: String(Int64(d))
            default: nil
            }
        }
        func message(_ v: JSONValue?) -> String? {
            switch v {
            case let .array(a)?: a.lazy.compactMap { message($0) }.first
            case let .object(e)?: short(e["message"]) ?? short(e["msg"]) ?? short(e["id"]) ?? short(e["code"])
            default: short(v)
            }
        }
        let code = short(o["code"]) ?? short(o["retCode"]) ?? short(o["error_code"])
        let text = ["message", "msg", "retMsg", "error_description", "error", "errors"].lazy.compactMap {
            message(o[$0])
        }.first
        switch (code, text) {
        case let (c?, t?): return "code \(c): \(t)"
        case let (c?, nil): return "code \(c)"
        case let (nil, t?): return t
        default: return nil
        }
    }

    static func htmlTitle(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        guard let open = text.range(of: "<title>", options: .caseInsensitive),
            let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(
            text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines).prefix(80)
        )
    }

    // MARK: Shape

    static func object(_ v: JSONValue?, _ path: String, venue: String) throws -> [String: JSONValue] {
        guard case let .object(o)? = v else { throw shape(venue, path, "an object", v) }
        return o
    }

    static func array(_ v: JSONValue?, _ path: String, venue: String) throws -> [JSONValue] {
        guard case let .array(a)? = v else { throw shape(venue, path, "an array", v) }
        return a
    }

    static func string(_ v: JSONValue?, _ path: String, venue: String) throws -> String {
        guard case let .string(s)? = v else { throw shape(venue, path, "a string", v) }
        return s
    }

    static func shape(_ venue: String, _ path: String, _ expected: String, _ v: JSONValue?) -> FeedError {
        FeedError.badBody(
            "\(venue): unexpected JSON shape: \(path) is \(v?.typeName ?? "missing"), expected \(expected)"
        )
    }

    /// A number given as a JSON number or a decimal string (venues send strings). Not range-checked.
    static func number(_ v: JSONValue?, _ path: String, venue: String) throws -> Double {
        switch v {
        case let .number(d)?: return d
        case let .string(s)?:
            // Decimal only: Swift's Double("0x1p16") is 65536. NaN and infinities pass here so
            // that the price check names them.
            guard let d = DecimalText.number(s) else {
                throw FeedError.badBody("\(venue): \(path) \"\(s.prefix(40))\" \(DecimalText.refusal(s))")
            }
            return d
        default: throw shape(venue, path, "a number or numeric string", v)
        }
    }

    /// A price: a number that is finite, > 0 and within `FeedLimits`.
    static func price(_ v: JSONValue?, _ path: String, venue: String) throws -> Double {
        try checkPrice(number(v, path, venue: venue), path, venue: venue)
    }

    static func checkPrice(_ p: Double, _ path: String, venue: String) throws -> Double {
        if p.isNaN { throw FeedError.badPrice("\(venue): \(path) is NaN") }
        if !p.isFinite { throw FeedError.badPrice("\(venue): \(path) is infinite") }
        if p == 0 { throw FeedError.badPrice("\(venue): \(path) is zero") }
        if p < 0 { throw FeedError.badPrice("\(venue): \(path) is negative (\(p))") }
        if p < FeedLimits.minPrice || p > FeedLimits.maxPrice {
            throw FeedError.badPrice(
                "\(venue): \(path) \(p) is outside the plausible range [\(FeedLimits.minPrice), \(FeedLimits.maxPrice)]"
            )
        }
        return p
    }

    /// A confidence half-width: finite and >= 0.
    static func confidence(_ v: Double, _ path: String, venue: String) throws -> Double {
        guard v.isFinite, v >= 0 else { throw FeedError.badPrice("\(venue): \(path) \(v) is not a finite number >= 0") }
        return v
    }

    /// A timestamp from epoch seconds or milliseconds (values above 1e11 are taken as ms), or an ISO 8601 string.
    static func timestamp(_ v: JSONValue?, _ path: String, venue: String) throws -> Double {
        if case let .string(s)? = v, Double(s) == nil {
            guard let t = RFC3339.parse(s) else {
                throw FeedError.badBody("\(venue): \(path) \"\(s.prefix(40))\" is not a timestamp")
            }
            return t
        }
        let n = try number(v, path, venue: venue)
        guard n.isFinite, n > 0 else { throw FeedError.badBody("\(venue): \(path) \(n) is not a timestamp") }
        return n > 1e11 ? n / 1000 : n
    }
}
