/// Encodes engine events as one JSON object per line (times RFC 3339 UTC). An event without a
/// price has `"price":null` followed by `lastGoodPrice` and `lastGoodPriceTime` (null before the
/// market's first price); an event with a price has neither.
public enum EventJSON {
    public static func line(_ e: EngineEvent) -> String {
        var fields: [String] = [
            "\"type\":\(quote(e.kind.rawValue))",
            "\"market\":\(quote(e.market))",
        ]
        if let s = e.source { fields.append("\"source\":\(quote(s))") }
        fields.append("\"from\":\(quote(e.from))")
        fields.append("\"to\":\(quote(e.to))")
        fields.append("\"reasons\":[\(e.reasons.map { quote($0.rawValue) }.joined(separator: ","))]")
        if let p = e.price {
            fields.append("\"price\":\(number(p))")
        } else {
            fields.append("\"price\":null")
            fields.append("\"lastGoodPrice\":\(e.lastGoodPrice.map { number($0) } ?? "null")")
            fields.append("\"lastGoodPriceTime\":\(e.lastGoodPriceTime.map { quote(Timestamps.formatRFC3339($0)) } ?? "null")")
        }
        fields.append("\"time\":\(quote(Timestamps.formatRFC3339(e.time)))")
        if let m = e.message { fields.append("\"message\":\(quote(m))") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A JSON number; non-finite values become null.
    public static func number(_ d: Double) -> String { d.isFinite ? "\(d)" : "null" }

    /// A JSON string literal with escapes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
