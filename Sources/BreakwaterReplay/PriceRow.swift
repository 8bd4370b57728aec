import BreakwaterEngine

/// One row of a price CSV: `timestamp,market,source,price[,confidence]`.
///
/// `timestamp` is RFC 3339 or unix seconds (fractions allowed).
public struct PriceRow: Sendable, Equatable {
    public var time: EpochSeconds
    public var market: Substring
    public var source: Substring
    public var price: Double
    public var confidence: Double?

    /// Parses one line; the error says what is wrong with it.
    public static func parse(_ line: Substring) -> Result<PriceRow, RowError> {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(\.unquoted)
        guard fields.count == 4 || fields.count == 5 else {
            return .failure(.init("expected 4 or 5 columns (timestamp,market,source,price[,confidence]), found \(fields.count)"))
        }
        let ts = fields[0].trimmingSpaces
        let time: EpochSeconds
        if let unix = Double(ts), unix.isFinite { time = unix }
        else if let t = Timestamps.parseRFC3339(ts) { time = t }
        else { return .failure(.init("timestamp \(shown(ts)) is neither RFC 3339 nor unix seconds")) }
        let market = fields[1].trimmingSpaces, source = fields[2].trimmingSpaces
        guard !market.isEmpty else { return .failure(.init("market is empty")) }
        guard !source.isEmpty else { return .failure(.init("source is empty")) }
        guard let price = Double(fields[3].trimmingSpaces) else {
            return .failure(.init("price \(shown(fields[3].trimmingSpaces)) is not a number"))
        }
        var confidence: Double?
        if fields.count == 5, !fields[4].trimmingSpaces.isEmpty {
            guard let c = Double(fields[4].trimmingSpaces) else {
                return .failure(.init("confidence \(shown(fields[4].trimmingSpaces)) is not a number"))
            }
            confidence = c
        }
        return .success(PriceRow(time: time, market: market, source: source, price: price, confidence: confidence))
    }

    /// A field in double quotes for a message, cut to 40 characters.
    static func shown(_ field: Substring) -> String {
        field.count > 40 ? "\"\(field.prefix(40))...\" (\(field.count) characters)" : "\"\(field)\""
    }

    public struct RowError: Error, Sendable, Equatable {
        public var message: String
        init(_ message: String) { self.message = message }
    }
}

extension Substring {
    /// The field without the double quotes a CSV writer may put around it (`"BTC-USD"`),
    /// doubled quotes inside read as one (ids and numbers hold no commas, so a quoted comma
    /// is not supported).
    var unquoted: Substring {
        let s = trimmingSpaces
        guard s.count >= 2, s.first == "\"", s.last == "\"" else { return self }
        let inner = s.dropFirst().dropLast()
        guard inner.contains("\"") else { return inner }
        var out = "", skipNextQuote = false
        for c in inner {
            if c == "\"" && skipNextQuote { skipNextQuote = false; continue }
            skipNextQuote = c == "\""
            out.append(c)
        }
        return Substring(out)
    }

    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}
