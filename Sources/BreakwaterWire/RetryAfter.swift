/// `Retry-After` values as venues and webhook receivers send them. Pure: no Foundation formatters, no locale.
/// (RFC 3339 timestamps are `RFC3339`'s.)
public enum RetryAfter {
    /// `Retry-After`: delay seconds (`120`) or an IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`).
    /// Returns seconds to wait from `now` (never negative), nil when unparseable.
    public static func seconds(_ value: String, now: Double) -> Double? {
        let v = value.trimmingSpaces
        // delay-seconds is digits only (RFC 9110); at most 12 of them (30,000 years) keeps
        // every later conversion to Int in range.
        if !v.isEmpty, v.count <= 12, v.allSatisfy({ $0.isASCII && $0.isNumber }) { return Double(v) }
        guard let t = httpDate(v) else { return nil }
        return max(0, t - now)
    }

    /// The delay-seconds to send for a wait of `wait` seconds: whole seconds, rounded up, at
    /// least 1 (a client told 0 retries at once), at most a year (a wait that is not finite
    /// also gets a year, never a trap).
    public static func delaySeconds(_ wait: Double) -> Int {
        guard wait.isFinite else { return maxDelaySeconds }
        return Int(min(max(wait.rounded(.up), 1), Double(maxDelaySeconds)))
    }

    /// Longest delay `delaySeconds` sends: a year.
    public static let maxDelaySeconds = 31_536_000

    /// IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. Epoch seconds.
    public static func httpDate(_ s: String) -> Double? {
        let parts = s.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let d = Int(parts[1]), let y = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let m = months.firstIndex(of: String(parts[2])) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        // Ranges checked before any arithmetic: a header is outside input (overflow traps).
        guard hms.count == 3, (0..<24).contains(hms[0]), (0..<60).contains(hms[1]), (0...60).contains(hms[2]),
            (1...31).contains(d), (1970...9999).contains(y)
        else { return nil }
        return Double(
            RFC3339.daysFromCivil(year: y, month: m + 1, day: d) * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2]
        )
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    public var trimmingSpaces: String {
        String(
            self.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed()
        )
    }
}
