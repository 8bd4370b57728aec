import BreakwaterWire

/// Where each column is, from the header line (or the standard order when there is none).
public struct Columns: Sendable, Equatable {
    public var timestamp = 0, market = 1, source = 2, price = 3
    public var confidence: Int? = 4
    /// Columns in the header (the standard order allows 4 or 5).
    var count: Int?

    public static let standard = Columns()
    static let names = ["timestamp", "market", "source", "price", "confidence"]

    /// A row has a field per column; the confidence, optional, may be left off when it is last.
    func accepts(fieldCount n: Int) -> Bool {
        guard let count else { return n == 4 || n == 5 }
        return n == count || (n == count - 1 && confidence == count - 1)
    }

    var expected: String {
        guard let count else { return "4 or 5 columns (timestamp,market,source,price[,confidence])" }
        return "\(count) columns as the header names them"
    }

    /// The columns a header line names, `nil` when the line is not a header, or why it is a
    /// header Breakwater cannot use. A line is a header when one of its fields is a column name,
    /// or when none has a digit (a row always has a timestamp and a price: `time,mkt,src,px`
    /// names columns, and is refused for naming unknown ones rather than read as a bad row).
    public static func header(_ line: Substring) -> Result<Columns, PriceRow.RowError>? {
        guard case let .success(fields) = CSVFields.split(line),
            fields.contains(where: { names.contains($0.trimmingSpaces.lowercased()) })
                || !fields.contains(where: { $0.utf8.contains { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } })
        else { return nil }
        var found: [String: Int] = [:]
        for (i, f) in fields.enumerated() {
            let name = f.trimmingSpaces.lowercased()
            guard names.contains(name) else {
                return .failure(
                    .init(
                        "header: unknown column \(PriceRow.shown(f.trimmingSpaces)) (expected \(names.joined(separator: ", ")))"
                    )
                )
            }
            guard found[name] == nil else { return .failure(.init("header: column \"\(name)\" given twice")) }
            found[name] = i
        }
        let missing = names.dropLast().filter { found[$0] == nil }
        guard missing.isEmpty else { return .failure(.init("header: missing \(missing.joined(separator: ", "))")) }
        return .success(
            Columns(
                timestamp: found["timestamp"]!,
                market: found["market"]!,
                source: found["source"]!,
                price: found["price"]!,
                confidence: found["confidence"],
                count: fields.count
            )
        )
    }
}
