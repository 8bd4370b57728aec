import BreakwaterEngine
import BreakwaterWire

/// Text an operator supplies that is logged, stored and served on one line (a halt reason, the
/// `X-Breakwater-Actor` name). Invariants of accepted text: not empty, at most `maxBytes` UTF-8
/// bytes (a grapheme count would let one `a` carry 400,000 combining marks), and no character
/// that ends a log line or hides part of it (`Unicode.Scalar.breaksOrHidesText`: controls,
/// U+2028/U+2029, direction marks, overrides and isolates, zero-width characters, U+FEFF).
enum OperatorText {
    /// Longest halt reason, UTF-8 bytes.
    static let maxReasonBytes = 500
    /// Longest actor name (`X-Breakwater-Actor`), UTF-8 bytes.
    static let maxActorBytes = 100

    /// Throws a 400 naming `field` when `text` breaks one of the invariants above.
    static func check(_ text: String, field: String, maxBytes: Int) throws {
        guard !text.isEmpty else { throw APIError.badRequest(field, "expected a non-empty string") }
        let bytes = text.utf8.count
        guard bytes <= maxBytes else {
            throw APIError.badRequest(field, "\(bytes) bytes (UTF-8) is more than the \(maxBytes) allowed")
        }
        if let refused = text.unicodeScalars.first(where: \.breaksOrHidesText) {
            throw APIError.badRequest(
                field,
                "character \(codePoint(refused)) is not allowed: it is logged and shown on one line, so "
                    + "control characters, line and paragraph separators, direction marks, overrides and isolates "
                    + "and zero-width characters are refused"
            )
        }
    }

    /// `U+200B`: the scalar's code point as Unicode writes it.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
