/// `Retry-After` values as venues and webhook receivers send them. Pure: no Foundation formatters, no locale.
/// (RFC 3339 timestamps are parsed by the engine's `Timestamps.parseRFC3339`.)
public enum RetryAfter {
    /// `Retry-After`: delay seconds (`120`) or an IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`).
    /// Returns seconds to wait from `now` (never negative), nil when unparseable.
    public static func seconds(_ value: String, now: EpochSeconds) -> Double? {
        let v = value.trimmingSpaces
        if let n = Double(v), n.isFinite, n >= 0 { return n }
        guard let t = httpDate(v) else { return nil }
        return max(0, t - now)
    }

    /// IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. Epoch seconds.
    public static func httpDate(_ s: String) -> EpochSeconds? {
        let parts = s.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let d = Int(parts[1]), let y = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let m = months.firstIndex(of: String(parts[2])) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        return Double(Timestamps.daysFromCivil(year: y, month: m + 1, day: d) * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2])
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    public var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
