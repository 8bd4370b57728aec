/// Numbers written for people at a fixed precision: `v` rounded to `decimals` places, with
/// exactly that many (no exponent); beyond 1e15 units, or not finite, as Swift writes them.
public enum FixedDecimal {
    public static func text(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return "\(v)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let n = (abs(v) * scale).rounded()
        guard n < 1e15 else { return "\(v)" }
        let units = Int(n)
        let whole = units / Int(scale)
        let frac = String(units % Int(scale))
        let sign = v < 0 && units != 0 ? "-" : ""
        guard decimals > 0 else { return "\(sign)\(whole)" }
        return "\(sign)\(whole)." + String(repeating: "0", count: decimals - frac.count) + frac
    }

    /// A probability for people: 4 decimals, "<0.0001" below that (never a bare 0.0000).
    public static func probability(_ p: Double) -> String {
        p > 0 && p < 0.0001 ? "<0.0001" : text(p, decimals: 4)
    }
}
