/// Numbers written as text by outside data (venue JSON strings, price CSVs): decimal only,
/// so that Swift's `Double(String)` does not also take hex (`0x1p4`) or stray words.
public enum DecimalText {
    /// Whether `s` is a decimal number: optional sign, digits with an optional fraction, an
    /// optional exponent (`-12`, `0.5`, `.5`, `1e-3`, `1.5E+10`).
    public static func isDecimal<S: StringProtocol>(_ s: S) -> Bool {
        let text = Substring(s)
        return text.utf8.withContiguousStorageIfAvailable { shape(UnsafeRawBufferPointer($0)) != nil }
            ?? String(text).utf8.withContiguousStorageIfAvailable { shape(UnsafeRawBufferPointer($0)) != nil } ?? false
    }

    /// How a decimal number is written, for readers with a stricter form (JSON: no `+`, no
    /// leading zero, digits on both sides of the point).
    public struct Shape: Sendable, Equatable {
        /// The sign as written (`+` or `-`), if any.
        public var sign: UInt8?
        /// Digits before the point; whether the first of them is 0.
        public var integerDigits: Int
        public var leadingZero: Bool
        /// Digits after the point, nil without a point.
        public var fractionDigits: Int?
        /// Whether a digit before the exponent is not 0 (the number is not zero).
        public var nonzero: Bool
    }

    /// The grammar of `isDecimal`, on bytes: the shape of `bytes` when they are a decimal
    /// number, else nil.
    public static func shape(_ bytes: UnsafeRawBufferPointer) -> Shape? {
        var k = 0
        var shape = Shape(sign: nil, integerDigits: 0, leadingZero: false, fractionDigits: nil, nonzero: false)
        func digits() -> Int {
            let from = k
            while k < bytes.count, bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9") { k += 1 }
            return k - from
        }
        if k < bytes.count, bytes[k] == UInt8(ascii: "-") || bytes[k] == UInt8(ascii: "+") { shape.sign = bytes[k]; k += 1 }
        let mantissaStart = k
        shape.integerDigits = digits()
        shape.leadingZero = shape.integerDigits > 0 && bytes[mantissaStart] == UInt8(ascii: "0")
        if k < bytes.count, bytes[k] == UInt8(ascii: ".") { k += 1; shape.fractionDigits = digits() }
        guard shape.integerDigits + (shape.fractionDigits ?? 0) > 0 else { return nil }
        shape.nonzero = bytes[mantissaStart..<k].contains { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }
        if k < bytes.count, bytes[k] == UInt8(ascii: "e") || bytes[k] == UInt8(ascii: "E") {
            k += 1
            if k < bytes.count, bytes[k] == UInt8(ascii: "-") || bytes[k] == UInt8(ascii: "+") { k += 1 }
            guard digits() > 0 else { return nil }
        }
        return k == bytes.count ? shape : nil
    }

    /// A decimal number's value, or nil.
    public static func decimal<S: StringProtocol>(_ s: S) -> Double? { isDecimal(s) ? Double(Substring(s)) : nil }

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
