/// Why a text is not JSON, and where: line and column (1-based, columns counted in
/// characters) and the JSON path of the value being read (`""` at the top).
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let path: String
    public let message: String
    /// The text ended before the value did (a body cut short, a file half written).
    public let truncated: Bool

    public var description: String {
        "line \(line), column \(column)\(path.isEmpty ? "" : " (in \(path))"): \(message)"
    }
}

/// A strict JSON reader (RFC 8259) for configuration files and request bodies.
///
/// Stricter than Foundation's where strictness protects a risk setting: a key given twice in
/// one object is an error (readers disagree on which one wins), as are trailing commas,
/// comments, numbers a `Double` cannot hold (1e400 would become infinity, 1e-400 zero),
/// unescaped control characters in strings, invalid UTF-8 and nesting deeper than
/// `maxDepth`. A UTF-8 byte-order mark at the start is skipped.
public struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// Keys and indices from the top to the value being read, for error paths.
    private var trail: [PathStep] = []

    private enum PathStep {
        case key(String)
        case index(Int)
    }

    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>,
        maxDepth: Int = JSONValue.maxDepth
    ) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw parser.failure("the text is UTF-16; save it as UTF-8")
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.index = 3 }
        parser.skipWhitespace()
        if parser.index == bytes.count { throw parser.failure("empty document (expected a JSON value)") }
        let value = try parser.value()
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.failure("unexpected \(parser.describeCurrent()) after the end of the JSON value")
        }
        return value
    }

    /// Byte offsets where the values at `paths` (`markets[1].sources[0].kind`) begin in
    /// `bytes`, so that problems can be listed in the order of the file. Paths the document
    /// lacks are left out; in a text that is not JSON, what was found before the error.
    public static func offsets(of paths: Set<String>, in bytes: UnsafeBufferPointer<UInt8>) -> [String: Int] {
        var parser = JSONParser(bytes: bytes, maxDepth: JSONValue.maxDepth)
        parser.wanted = paths
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.index = 3 }
        parser.skipWhitespace()
        _ = try? parser.value()
        return parser.found
    }

    /// The paths `offsets(of:in:)` looks for (nil when only parsing), and what it found.
    private var wanted: Set<String>?
    private var found: [String: Int] = [:]

    private let depthLimit: Int

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.depthLimit = maxDepth
    }

    // MARK: - Values

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw failure("the text ends where a value was expected") }
        if let wanted {
            let path = pathText()
            if wanted.contains(path) { found[path] = index }
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("unexpected \(describeCurrent()) (expected a value)")
        }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        index += 1  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else {
                throw failure(
                    "unexpected \(describeCurrent()) (expected a key in double quotes\(members.isEmpty ? "" : "; no comma before }"))"
                )
            }
            let keyStart = index
            let key = try string()
            if members[key] != nil {
                index = keyStart
                trail.append(.key(key))
                throw failure("duplicate key \"\(key)\" (each key may appear once in an object)")
            }
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else {
                throw failure("unexpected \(describeCurrent()) (expected : after the key)")
            }
            index += 1
            skipWhitespace()
            trail.append(.key(key))
            members[key] = try value()
            trail.removeLast()
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            if peek(UInt8(ascii: "}")) {
                index += 1
                depth -= 1
                return .object(members)
            }
            if index == bytes.count { throw failure("the text ends inside an object (truncated?)") }
            throw failure("unexpected \(describeCurrent()) (expected , or } after a member)")
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { throw failure("unexpected ] (no comma before ])") }
            trail.append(.index(elements.count))
            elements.append(try value())
            trail.removeLast()
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            if peek(UInt8(ascii: "]")) {
                index += 1
                depth -= 1
                return .array(elements)
            }
            if index == bytes.count { throw failure("the text ends inside an array (truncated?)") }
            throw failure("unexpected \(describeCurrent()) (expected , or ] after an element)")
        }
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > depthLimit { throw failure("nested deeper than \(depthLimit) levels") }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard index + w.count <= bytes.count, (0..<w.count).allSatisfy({ bytes[index + $0] == w[$0] }) else {
            throw failure("unexpected \(describeCurrent()) (expected a value)")
        }
        index += w.count
    }

    // MARK: - Numbers

    /// A number, read by the one grammar (`DecimalText`, JSON dialect).
    private mutating func number() throws(JSONSyntaxError) -> Double {
        let start = index
        switch DecimalText.scan(UnsafeRawBufferPointer(bytes), from: start, .json) {
        case let .success((value, end)):
            index = end
            return value
        case let .failure(problem):
            index = problem.at
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<problem.end]), as: UTF8.self)
            switch problem.kind {
            case .noDigit, .digitAfterMinus: throw failure("expected a digit after -")
            case .leadingZero: throw failure("a number may not start with 0 followed by digits")
            case .digitAfterPoint: throw failure("expected a digit after the decimal point")
            case .digitInExponent: throw failure("expected a digit in the exponent")
            case .tooLarge: throw failure("number \(PrintableText.quoted(text)) is too large (beyond a 64-bit float)")
            case .tooSmall: throw failure("number \(PrintableText.quoted(text)) is too small (it would round to 0)")
            }
        }
    }

    // MARK: - Strings

    private mutating func string() throws(JSONSyntaxError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = try text(start..<index)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw failure("control character \(hex(b)) in a string (escape it)") }
            index += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                guard let s = String(validating: out, as: UTF8.self) else {
                    throw failure("the string is not valid UTF-8")
                }
                return s
            }
            if b < 0x20 { throw failure("control character \(hex(b)) in a string (escape it)") }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape())
            default:
                index -= 2
                throw failure("unknown escape \\\(Character(Unicode.Scalar(e)))")
            }
        }
        throw failure("the text ends inside a string")
    }

    /// The UTF-8 bytes of a `\uXXXX` escape (after the `u`), joining surrogate pairs.
    private mutating func unicodeEscape() throws(JSONSyntaxError) -> [UInt8] {
        let high = try hex4()
        var scalar: Unicode.Scalar?
        if (0xD800...0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else {
                throw failure("lone surrogate \\u\(String(high, radix: 16)) (expected a low surrogate after it)")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw failure("\\u\(String(low, radix: 16)) is not a low surrogate")
            }
            scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        } else {
            scalar = Unicode.Scalar(high)
        }
        guard let scalar else { throw failure("lone surrogate \\u\(String(high, radix: 16))") }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("expected 4 hex digits after \\u") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = Character(Unicode.Scalar(bytes[index])).hexDigitValue else {
                throw failure("expected 4 hex digits after \\u")
            }
            v = v << 4 | UInt32(d)
            index += 1
        }
        return v
    }

    private func text(_ range: Range<Int>) throws(JSONSyntaxError) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        guard let s = String(validating: slice, as: UTF8.self) else { throw failure("the string is not valid UTF-8") }
        return s
    }

    // MARK: - Helpers

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek(_ b: UInt8) -> Bool { index < bytes.count && bytes[index] == b }

    private func hex(_ b: UInt8) -> String {
        let digits = String(b, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// The character at the current position, quoted, for messages.
    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of text" }
        let b = bytes[index]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return b < 0x20 ? "control character \(hex(b))" : "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    /// An error at the current position.
    /// The path of the value being read, as validation writes it (`markets[1].sources[0].kind`).
    private func pathText() -> String {
        var path = ""
        for step in trail {
            switch step {
            case let .key(k): path += path.isEmpty ? k : ".\(k)"
            case let .index(i): path += "[\(i)]"
            }
        }
        return path
    }

    private func failure(_ message: String) -> JSONSyntaxError {
        var line = 1
        var column = 1
        for b in UnsafeBufferPointer(rebasing: bytes[0..<min(index, bytes.count)]) {
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        var path = pathText()
        if path.count > 120 { path = "\(path.prefix(60))...\(path.suffix(40))" }  // 500 levels deep
        return JSONSyntaxError(
            line: line,
            column: column,
            path: path,
            message: message,
            truncated: index >= bytes.count
        )
    }
}
