public import BreakwaterEngine
import BreakwaterWire

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
        var quoted: [Bool] = []
        switch CSVFields.split(line, quoted: &quoted) {
        case let .failure(e): return .failure(e)
        case let .success(f): fields = f
        }
        guard columns.accepts(fieldCount: fields.count) else {
            return .failure(.init("expected \(columns.expected), found \(fields.count) columns"))
        }
        let ts = fields[columns.timestamp].trimmingSpaces
        let time: EpochSeconds
        if let unix = DecimalText.decimal(ts), unix.isFinite {
            time = unix
        } else if let t = RFC3339.parse(ts) {
            time = t
        } else {
            return .failure(.init("timestamp \(shown(ts)) is neither RFC 3339 nor unix seconds"))
        }
        // 1970 ... 9999: a time outside is a broken row (and far enough out, a clock that no
        // longer moves in float steps).
        guard (0...253_402_300_799).contains(time) else {
            return .failure(.init("timestamp \(shown(ts)) is outside 1970-01-01 ... 9999-12-31"))
        }
        let market = fields[columns.market].trimmingSpaces
        let source = fields[columns.source].trimmingSpaces
        guard !market.isEmpty else { return .failure(.init("market is empty")) }
        guard !source.isEmpty else { return .failure(.init("source is empty")) }
        let priceText = fields[columns.price].trimmingSpaces
        guard let price = DecimalText.number(priceText) else {
            return .failure(.init("price \(shown(priceText)) \(DecimalText.refusal(priceText))"))
        }
        var confidence: Double?
        if let c = columns.confidence, c < fields.count, !fields[c].trimmingSpaces.isEmpty {
            let text = fields[c].trimmingSpaces
            guard let value = DecimalText.number(text) else {
                return .failure(.init("confidence \(shown(text)) \(DecimalText.refusal(text))"))
            }
            // Only where a split price can come from: an unquoted price with the unquoted
            // confidence right after it.
            if c == columns.price + 1, !quoted[columns.price], !quoted[c],
                let suspicion = thousandsSeparatorSuspicion(price: priceText, confidence: text)
            {
                return .failure(.init(suspicion))
            }
            confidence = value
        }
        return .success(PriceRow(time: time, market: market, source: source, price: price, confidence: confidence))
    }

    /// Why `price,confidence` looks like one price cut in two by an unquoted thousands
    /// separator, or nil: a price of 1 to 3 digits followed by a confidence of exactly 3 digits
    /// before any fraction (`1,000` read as price 1 with confidence 000, `65,500`, `105,100.5`).
    /// Read as written, such a confidence would be 10 % of the price or more (or a number
    /// written with a leading zero), which no oracle publishes; the row is bad rather than
    /// read as a price a thousand times too small.
    static func thousandsSeparatorSuspicion(price: Substring, confidence: Substring) -> String? {
        let isDigit: (Character) -> Bool = { ("0"..."9").contains($0) }
        let whole = confidence.prefix { $0 != "." }
        let fraction = confidence.drop { $0 != "." }.dropFirst()
        guard (1...3).contains(price.count), price.allSatisfy(isDigit),
            whole.count == 3, whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit)
        else { return nil }
        return "price \(shown(price)) and confidence \(shown(confidence)) look like one price, \(price)\(confidence), "
            + "cut by a thousands separator: write it without the separator (\(price)\(confidence))"
    }

    /// A field in double quotes for a message, cut to 40 characters, control and direction
    /// characters escaped (`\u{1b}`) so that a CSV cannot write to the terminal.
    static func shown(_ field: Substring) -> String {
        field.count > 40
            ? "\"\(PrintableText.escaped(field.prefix(40)))...\" (\(field.count) characters)"
            : "\"\(PrintableText.escaped(field))\""
    }

    public struct RowError: Error, Sendable, Equatable {
        public var message: String
        init(_ message: String) { self.message = message }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        // By bytes: spaces are ASCII, and a row's fields are read millions of times.
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, Self.isSpace(bytes[start]) { bytes.formIndex(after: &start) }
        while end > start, Self.isSpace(bytes[bytes.index(before: end)]) { bytes.formIndex(before: &end) }
        return self[start..<end]
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
