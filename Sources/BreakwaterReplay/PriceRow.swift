import BreakwaterEngine

/// One row of a price CSV: `timestamp,market,source,price[,confidence]` (or the columns a
/// header line names, in its order).
///
/// `timestamp` is RFC 3339 or unix seconds (fractions allowed). Numbers are decimal, with an
/// optional exponent (`6.4e4`); `NaN` and `inf` are read so that the engine refuses them with
/// its reason; anything else (hex such as `0x1p4`, `65,000` in quotes, trailing bytes) is a
/// bad row. Fields follow RFC 4180: one in double quotes may hold commas, `""` is a quote.
public struct PriceRow: Sendable, Equatable {
    public var time: EpochSeconds
    public var market: Substring
    public var source: Substring
    public var price: Double
    public var confidence: Double?

    /// Parses one line with columns in `columns` order; the error says what is wrong with it.
    public static func parse(_ line: Substring, columns: Columns = .standard) -> Result<PriceRow, RowError> {
        let fields: [Substring]
        switch CSVFields.split(line) {
        case let .failure(e): return .failure(e)
        case let .success(f): fields = f
        }
        guard columns.accepts(fieldCount: fields.count) else {
            return .failure(.init("expected \(columns.expected), found \(fields.count) columns"))
        }
        let ts = fields[columns.timestamp].trimmingSpaces
        let time: EpochSeconds
        if let unix = DecimalText.decimal(ts), unix.isFinite { time = unix }
        else if let t = Timestamps.parseRFC3339(ts) { time = t }
        else { return .failure(.init("timestamp \(shown(ts)) is neither RFC 3339 nor unix seconds")) }
        // 1970 ... 9999: a time outside is a broken row (and far enough out, a clock that no
        // longer moves in float steps).
        guard (0...253_402_300_799).contains(time) else {
            return .failure(.init("timestamp \(shown(ts)) is outside 1970-01-01 ... 9999-12-31"))
        }
        let market = fields[columns.market].trimmingSpaces, source = fields[columns.source].trimmingSpaces
        guard !market.isEmpty else { return .failure(.init("market is empty")) }
        guard !source.isEmpty else { return .failure(.init("source is empty")) }
        let priceText = fields[columns.price].trimmingSpaces
        guard let price = DecimalText.number(priceText) else {
            return .failure(.init("price \(shown(priceText)) is not a decimal number"))
        }
        var confidence: Double?
        if let c = columns.confidence, c < fields.count, !fields[c].trimmingSpaces.isEmpty {
            let text = fields[c].trimmingSpaces
            guard let value = DecimalText.number(text) else {
                return .failure(.init("confidence \(shown(text)) is not a decimal number"))
            }
            if let suspicion = thousandsSeparatorSuspicion(price: priceText, priceValue: price,
                                                           confidence: text, confidenceValue: value) {
                return .failure(.init(suspicion))
            }
            confidence = value
        }
        return .success(PriceRow(time: time, market: market, source: source, price: price, confidence: confidence))
    }

    /// Why `price,confidence` looks like one price cut in two by an unquoted thousands
    /// separator (`1,000` read as price 1, confidence 000; `65,500` as 65 and 500), or nil.
    /// Three signs, any one enough: a confidence with a leading zero before another digit
    /// (`000`, `050`: nobody writes a number so); a confidence larger than the price (a
    /// half-width beyond the price puts the interval below zero); a price of 1 to 3 digits
    /// followed by a confidence of exactly 3 digits before any point (`105,100`: a
    /// confidence of 10 % or more of the price is no oracle's). Such a row is bad rather than
    /// read as a price a thousand times too small.
    static func thousandsSeparatorSuspicion(price: Substring, priceValue: Double,
                                            confidence: Substring, confidenceValue: Double) -> String? {
        let digits = confidence.drop { $0 == "+" || $0 == "-" }
        let leadingZero = digits.count >= 2 && digits.first == "0" && ("0"..."9").contains(digits.dropFirst().first ?? " ")
        // Only for numbers the engine would take: NaN, inf and prices <= 0 get its own reasons.
        let larger = confidenceValue.isFinite && priceValue > 0 && confidenceValue > priceValue
        let isDigit: (Character) -> Bool = { ("0"..."9").contains($0) }
        let group = price.count <= 3 && price.allSatisfy(isDigit)
            && confidence.prefix { $0 != "." }.count == 3 && confidence.prefix { $0 != "." }.allSatisfy(isDigit)
            && confidence.drop { $0 != "." }.dropFirst().allSatisfy(isDigit)
        guard leadingZero || larger || group else { return nil }
        let why = leadingZero ? "has a leading zero" : larger ? "is larger than the price"
            : "has 3 digits after a price of at most 3"
        return "confidence \(shown(confidence)) \(why): is \(shown(Substring("\(price),\(confidence)"))) one price "
            + "written with a thousands separator? Quote it or drop the separator"
    }

    /// A field in double quotes for a message, cut to 40 characters, control and direction
    /// characters escaped (`\u{1b}`) so that a CSV cannot write to the terminal.
    static func shown(_ field: Substring) -> String {
        field.count > 40 ? "\"\(PrintableText.escaped(field.prefix(40)))...\" (\(field.count) characters)"
            : "\"\(PrintableText.escaped(field))\""
    }

    public struct RowError: Error, Sendable, Equatable {
        public var message: String
        init(_ message: String) { self.message = message }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
}
