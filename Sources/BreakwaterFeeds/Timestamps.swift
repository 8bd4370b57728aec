import BreakwaterEngine

/// Pure parsers for the time formats venues use. No Foundation formatters, no locale.
enum Timestamps {
    /// `2026-06-19T16:43:33.016274911Z` or with `+hh:mm` / `-hh:mm`; fraction of any length. Epoch seconds.
    static func iso8601(_ s: String) -> EpochSeconds? {
        let c = Array(s.utf8)
        guard c.count >= 20, c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"),
              c[10] == UInt8(ascii: "T") || c[10] == UInt8(ascii: "t") || c[10] == UInt8(ascii: " "),
              c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":"),
              let y = digits(c, 0, 4), let mo = digits(c, 5, 2), let d = digits(c, 8, 2),
              let h = digits(c, 11, 2), let mi = digits(c, 14, 2), let se = digits(c, 17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < c.count, c[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < c.count, let v = digit(c[i]) { fraction += Double(v) * scale; scale /= 10; i += 1 }
            if i == start { return nil }
        }
        guard i < c.count else { return nil }
        var offset = 0
        if c[i] == UInt8(ascii: "Z") || c[i] == UInt8(ascii: "z") {
            i += 1
        } else if c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
            guard c.count >= i + 6, c[i + 3] == UInt8(ascii: ":"), let oh = digits(c, i + 1, 2), let om = digits(c, i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (c[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else { return nil }
        guard i == c.count else { return nil }
        let days = daysFromCivil(y, mo, d)
        return Double(days * 86400 + h * 3600 + mi * 60 + se - offset) + fraction
    }

    /// `Retry-After`: delay seconds (`120`) or an IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`).
    /// Returns seconds to wait from `now` (never negative), nil when unparseable.
    static func retryAfter(_ value: String, now: EpochSeconds) -> Double? {
        let v = value.trimmingSpaces
        if let n = Double(v), n.isFinite, n >= 0 { return n }
        guard let t = httpDate(v) else { return nil }
        return max(0, t - now)
    }

    /// IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. Epoch seconds.
    static func httpDate(_ s: String) -> EpochSeconds? {
        let parts = s.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let d = Int(parts[1]), let y = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let m = months.firstIndex(of: String(parts[2])) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        return Double(daysFromCivil(y, m + 1, d) * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2])
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    private static func digit(_ b: UInt8) -> Int? {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? Int(b - UInt8(ascii: "0")) : nil
    }

    private static func digits(_ c: [UInt8], _ at: Int, _ n: Int) -> Int? {
        var v = 0
        for i in at..<(at + n) {
            guard i < c.count, let x = digit(c[i]) else { return nil }
            v = v * 10 + x
        }
        return v
    }
}

extension String {
    var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
