/// RFC 3339 timestamps to and from seconds since the Unix epoch (UTC), without Foundation
/// (pure and fast), and the civil-date arithmetic they and HTTP dates need. The only
/// reader and writer of date-times on the wire.
public enum RFC3339 {
    /// Days in `month` (1...12) of `year`, Gregorian leap years.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Parses `2026-06-19T16:43:33.016274911Z`, `2026-06-19 16:43:33+02:00`, etc. into epoch
    /// seconds. Returns nil for anything that is not a valid RFC 3339 date-time.
    public static func parse<S: StringProtocol>(_ text: S) -> Double? {
        var it = Array(text.utf8)[...]
        func digits(_ n: Int) -> Int? {
            guard it.count >= n else { return nil }
            var v = 0
            for _ in 0..<n {
                let c = it.removeFirst()
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        func expect(_ chars: [UInt8]) -> Bool {
            guard let c = it.first, chars.contains(c) else { return false }
            it.removeFirst()
            return true
        }
        guard let year = digits(4), expect([45]), let month = digits(2), expect([45]), let day = digits(2),
            expect([84, 116, 32]), let hour = digits(2), expect([58]), let minute = digits(2), expect([58]),
            let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60,
            second <= 60
        else { return nil }
        var fraction = 0.0
        if it.first == 46 {
            it.removeFirst()
            var scale = 0.1
            var any = false
            while let c = it.first, c >= 48 && c <= 57 {
                fraction += Double(c - 48) * scale
                scale /= 10
                it.removeFirst()
                any = true
            }
            guard any else { return nil }
        }
        var offset = 0
        guard let z = it.first else { return nil }
        if z == 90 || z == 122 {
            it.removeFirst()
        } else if z == 43 || z == 45 {
            it.removeFirst()
            guard let oh = digits(2), expect([58]), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (z == 43 ? 1 : -1)
        } else {
            return nil
        }
        guard it.isEmpty else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// Epoch seconds `t` as RFC 3339 UTC with milliseconds: `2026-06-19T16:43:33.016Z`
    /// ("invalid" for a non-finite `t` or one beyond ±1e13 s).
    public static func format(_ t: Double) -> String {
        guard t.isFinite, abs(t) < 1e13 else { return "invalid" }
        var ms = Int64((t * 1000).rounded())
        let msPart = Int(((ms % 1000) + 1000) % 1000)
        ms = (ms - Int64(msPart)) / 1000
        let days = Int(ms >= 0 ? ms / 86_400 : (ms - 86_399) / 86_400)
        let secs = Int(ms - Int64(days) * 86_400)
        let (y, m, d) = civilFromDays(days)
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
        }
        return
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2)).\(pad(msPart, 3))Z"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
