/// Numbers in a price CSV.
enum CSVNumber {
    /// A decimal number: optional sign, digits with an optional fraction, optional exponent.
    static func decimal(_ s: Substring) -> Double? {
        var digits = 0
        var i = s.utf8.startIndex
        let u = s.utf8
        if i < u.endIndex, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i = u.index(after: i) }
        while i < u.endIndex, (48...57).contains(u[i]) { digits += 1; i = u.index(after: i) }
        if i < u.endIndex, u[i] == UInt8(ascii: ".") {
            i = u.index(after: i)
            while i < u.endIndex, (48...57).contains(u[i]) { digits += 1; i = u.index(after: i) }
        }
        guard digits > 0 else { return nil }
        if i < u.endIndex, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i = u.index(after: i)
            if i < u.endIndex, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i = u.index(after: i) }
            var exponentDigits = 0
            while i < u.endIndex, (48...57).contains(u[i]) { exponentDigits += 1; i = u.index(after: i) }
            guard exponentDigits > 0 else { return nil }
        }
        guard i == u.endIndex else { return nil }
        return Double(s)
    }

    /// A decimal number, or NaN / an infinity spelled out (which the engine then refuses,
    /// counted under its reason).
    static func value(_ s: Substring) -> Double? {
        if let d = decimal(s) { return d }
        switch s.lowercased() {
        case "nan", "+nan", "-nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }
}
