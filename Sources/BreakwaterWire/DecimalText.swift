/// The one number grammar on the wire: decimal numbers in JSON (request bodies, config files,
/// venue answers) and in text (venue prices sent as strings, price CSVs). Decimal only, so that
/// Swift's `Double(String)` does not also take hex (`0x1p4`) or stray words, and strict about
/// range: a number a `Double` cannot hold is an error, never infinity (`1e400`) or zero
/// (`1e-400`).
public enum DecimalText {
    /// Which spelling a number may have.
    public enum Dialect: Sendable {
        /// RFC 8259: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
        case json
        /// Looser, as venues and spreadsheets write numbers as text: an optional `+` or `-`,
        /// leading zeros, a point with digits on either side or both (`.5`, `5.`), an optional
        /// exponent.
        case text
    }

    /// Why the bytes at a position are not a number. `at` is the byte offset the reader
    /// stopped at (where a digit was missing), or the number's start for a range error.
    public struct Problem: Error, Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case noDigit, digitAfterMinus, leadingZero, digitAfterPoint, digitInExponent
            /// Beyond a 64-bit float (it would become infinity).
            case tooLarge
            /// Nonzero, but it would round to 0.
            case tooSmall
        }
        public var kind: Kind
        public var at: Int
        /// The offset after the number's text as far as it was read (for a range error, the
        /// whole number: `start..<end`).
        public var end: Int
    }

    /// Reads the number that starts at byte `start` of `bytes` and ends where the grammar ends
    /// (the caller checks what follows). Returns the value and the offset after the number.
    /// Allocates nothing for numbers of up to 15 bytes (a price), so a byte-level reader may
    /// call it on every number of a body.
    public static func scan(
        _ bytes: UnsafeRawBufferPointer,
        from start: Int,
        _ dialect: Dialect
    ) -> Result<(value: Double, end: Int), Problem> {
        var i = start
        let n = bytes.count
        func isDigit(_ k: Int) -> Bool { k < n && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
        var significant = false  // a nonzero digit before the exponent
        func digits() -> Int {
            let from = i
            while isDigit(i) {
                if bytes[i] != 0x30 { significant = true }
                i += 1
            }
            return i - from
        }
        if i < n, bytes[i] == 0x2D || (dialect == .text && bytes[i] == 0x2B) { i += 1 }
        switch dialect {
        case .json:
            guard isDigit(i) else {
                return .failure(Problem(kind: start < i ? .digitAfterMinus : .noDigit, at: i, end: i))
            }
            if bytes[i] == 0x30, isDigit(i + 1) { return .failure(Problem(kind: .leadingZero, at: i + 1, end: i + 1)) }
            _ = digits()
            if i < n, bytes[i] == 0x2E {
                i += 1
                guard digits() > 0 else { return .failure(Problem(kind: .digitAfterPoint, at: i, end: i)) }
            }
        case .text:
            var mantissa = digits()
            if i < n, bytes[i] == 0x2E {
                i += 1
                mantissa += digits()
            }
            guard mantissa > 0 else { return .failure(Problem(kind: .noDigit, at: i, end: i)) }
        }
        let mantissaHasValue = significant
        if i < n, bytes[i] == 0x65 || bytes[i] == 0x45 {
            i += 1
            if i < n, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
            guard digits() > 0 else { return .failure(Problem(kind: .digitInExponent, at: i, end: i)) }
        }
        // The grammar is checked, so Swift's reader (C locale) gets decimal text only; a text of
        // up to 15 bytes is a small string, built without allocating.
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { return .failure(Problem(kind: .tooLarge, at: start, end: i)) }
        if d == 0 && mantissaHasValue { return .failure(Problem(kind: .tooSmall, at: start, end: i)) }
        return .success((d, i))
    }

    /// The value of `s` when all of it is one decimal number (`.text` dialect, in range), or nil.
    public static func decimal<S: StringProtocol>(_ s: S) -> Double? {
        if let whole = s.utf8.withContiguousStorageIfAvailable({ scanWhole(UnsafeRawBufferPointer($0)) }) {
            return whole
        }
        var copy = String(s)
        return copy.withUTF8 { scanWhole(UnsafeRawBufferPointer($0)) }
    }

    private static func scanWhole(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard case let .success((value, end)) = scan(bytes, from: 0, .text), end == bytes.count else { return nil }
        return value
    }

    /// Why `decimal` refuses `s`, for a message after the quoted text: "is too large (beyond a
    /// 64-bit float)", "is too small (it would round to 0)" or "is not a decimal number".
    public static func refusal<S: StringProtocol>(_ s: S) -> String {
        var copy = String(s)
        let kind = copy.withUTF8 { bytes -> Problem.Kind? in
            guard case let .failure(p) = scan(UnsafeRawBufferPointer(bytes), from: 0, .text), p.end == bytes.count
            else { return nil }
            return p.kind
        }
        switch kind {
        case .tooLarge?: return "is too large (beyond a 64-bit float)"
        case .tooSmall?: return "is too small (it would round to 0)"
        default: return "is not a decimal number"
        }
    }

    /// Whether `s` is a decimal number `decimal` reads.
    public static func isDecimal<S: StringProtocol>(_ s: S) -> Bool { decimal(s) != nil }

    /// A decimal number, or NaN / an infinity spelled out (`nan`, `inf`, `-Infinity`): read so
    /// that the caller refuses them with their own reason rather than as "not a number".
    public static func number<S: StringProtocol>(_ s: S) -> Double? {
        if let d = decimal(s) { return d }
        switch s.lowercased() {
        case "nan", "+nan", "-nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }
}
