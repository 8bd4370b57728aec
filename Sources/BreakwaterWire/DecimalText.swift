/// Numbers written as text by outside data (venue JSON strings, price CSVs): decimal only,
/// so that Swift's `Double(String)` does not also take hex (`0x1p4`) or stray words.
public enum DecimalText {
    /// Whether `s` is a decimal number: optional sign, digits with an optional fraction, an
    /// optional exponent (`-12`, `0.5`, `.5`, `1e-3`, `1.5E+10`).
    public static func isDecimal<S: StringProtocol>(_ s: S) -> Bool {
        var bytes = Substring(s).utf8[...]
        if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let n = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(n)
            return n
        }
        var mantissa = digits()
        if bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst(); mantissa += digits() }
        guard mantissa > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
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
