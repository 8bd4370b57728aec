public import BreakwaterWire

/// An item of a snapshot that was not accepted, and why. The rest of the snapshot stands.
public struct PositionRefusal: Sendable, Equatable, Codable {
    /// JSON path of the refused item: `markets[2]` (a whole market) or `markets[2].positions[7]`.
    public var path: String
    /// Index in `markets`.
    public var market: Int
    /// Index in that market's `positions`; nil when the whole market entry is refused.
    public var position: Int?
    public var reason: String

    public init(path: String, market: Int, position: Int?, reason: String) {
        self.path = path
        self.market = market
        self.position = position
        self.reason = reason
    }
}

/// Why a snapshot as a whole cannot be read (not JSON, or its frame is wrong).
public struct PositionSnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// JSON path of the offending value (`""` for the document).
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// What the reader accepted and what it refused.
public struct PositionSnapshotReading: Sendable {
    public var snapshot: PositionSnapshot
    public var refusals: [PositionRefusal]
}

/// Reads `{"asOf", "insuranceFund": {"balance"}, "markets": [{"market", "positions": [...],
/// "liquidity"?, "mark"?}]}`.
///
/// The frame (asOf, insuranceFund, markets) must be right or nothing is read. Below it, each
/// bad item is refused by its path with a reason and the rest kept: a market entry that is
/// not an object, names a market outside `knownMarkets` or given twice, or has a bad
/// `liquidity` or `mark`; a position with size <= 0, entry <= 0, collateral < 0, an unknown
/// side, a non-finite or missing number, or an unknown field. Numbers are JSON numbers or
/// decimal strings; `"NaN"`/`"Infinity"` strings are refused as not finite (a bare 1e400 is
/// not JSON for the one reader and fails the whole body).
public enum PositionSnapshotReader {
    public static func read(
        _ bytes: UnsafeBufferPointer<UInt8>,
        knownMarkets: Set<String>
    ) throws(PositionSnapshotError) -> PositionSnapshotReading {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, maxDepth: 32)
        } catch {
            throw PositionSnapshotError(path: error.path, message: "not valid JSON: \(error)")
        }
        return try read(value, knownMarkets: knownMarkets)
    }

    public static func read(
        _ value: JSONValue,
        knownMarkets: Set<String>
    ) throws(PositionSnapshotError) -> PositionSnapshotReading {
        guard case let .object(top) = value else {
            throw PositionSnapshotError(path: "", message: "expected an object {asOf, insuranceFund, markets}")
        }
        for key in top.keys.sorted() where !["asOf", "insuranceFund", "markets"].contains(key) {
            throw PositionSnapshotError(path: key, message: "unknown field (expected asOf, insuranceFund, markets)")
        }
        let asOf: Double
        switch top["asOf"] {
        case let .number(t)?: asOf = t
        case let .string(s)?:
            guard let t = RFC3339.parse(s) else {
                throw PositionSnapshotError(path: "asOf", message: "\"\(echo(s))\" is not RFC 3339")
            }
            asOf = t
        default: throw PositionSnapshotError(path: "asOf", message: "expected RFC 3339 text or unix seconds")
        }
        guard case let .object(fund)? = top["insuranceFund"] else {
            throw PositionSnapshotError(path: "insuranceFund", message: "expected an object {balance}")
        }
        for key in fund.keys.sorted() where key != "balance" {
            throw PositionSnapshotError(path: "insuranceFund.\(key)", message: "unknown field (expected balance)")
        }
        let balance: Double
        switch number(fund["balance"]) {
        case let .success(b) where b >= 0: balance = b
        case .success: throw PositionSnapshotError(path: "insuranceFund.balance", message: "must be >= 0")
        case let .failure(reason): throw PositionSnapshotError(path: "insuranceFund.balance", message: reason.message)
        }
        guard case let .array(entries)? = top["markets"] else {
            throw PositionSnapshotError(path: "markets", message: "expected an array of {market, positions}")
        }
        var refusals: [PositionRefusal] = []
        var books: [MarketBook] = []
        var firstIndex: [String: Int] = [:]
        for (i, entry) in entries.enumerated() {
            switch marketHeader(entry, knownMarkets: knownMarkets, firstIndex: firstIndex) {
            case let .failure(reason):
                refusals.append(
                    PositionRefusal(path: "markets[\(i)]", market: i, position: nil, reason: reason.message)
                )
            case let .success((name, items, liquidity, mark)):
                firstIndex[name] = i
                var positions: [Position] = []
                positions.reserveCapacity(items.count)
                for (k, item) in items.enumerated() {
                    switch position(item) {
                    case let .success(p): positions.append(p)
                    case let .failure(reason):
                        refusals.append(
                            PositionRefusal(
                                path: "markets[\(i)].positions[\(k)]",
                                market: i,
                                position: k,
                                reason: reason.message
                            )
                        )
                    }
                }
                books.append(MarketBook(market: name, positions: positions, liquidity: liquidity, mark: mark))
            }
        }
        return PositionSnapshotReading(
            snapshot: PositionSnapshot(asOf: asOf, insuranceFund: balance, markets: books),
            refusals: refusals
        )
    }

    struct Reason: Error { var message: String }

    /// Outside text made safe to quote in a reason (escaped, cut to 80 characters).
    private static func echo(_ s: String) -> String { PrintableText.escaped(s, limit: 80) }

    private static func marketHeader(
        _ entry: JSONValue,
        knownMarkets: Set<String>,
        firstIndex: [String: Int]
    ) -> Result<(String, [JSONValue], MarketLiquidity?, Double?), Reason> {
        guard case let .object(o) = entry else {
            return .failure(Reason(message: "expected an object {market, positions, liquidity?, mark?}"))
        }
        for key in o.keys.sorted() where !["market", "positions", "liquidity", "mark"].contains(key) {
            return .failure(Reason(message: "\(echo(key)): unknown field"))
        }
        guard case let .string(name)? = o["market"] else {
            return .failure(Reason(message: "market: expected the market id as a string"))
        }
        guard knownMarkets.contains(name) else {
            return .failure(Reason(message: "market \"\(echo(name))\" is not configured"))
        }
        if let first = firstIndex[name] {
            return .failure(Reason(message: "market \"\(echo(name))\" is given twice (first at markets[\(first)])"))
        }
        guard case let .array(items)? = o["positions"] else {
            return .failure(Reason(message: "positions: expected an array"))
        }
        var liquidity: MarketLiquidity?
        if let l = o["liquidity"], l != .null {
            switch marketLiquidity(l) {
            case let .success(value): liquidity = value
            case let .failure(reason): return .failure(Reason(message: "liquidity.\(reason.message)"))
            }
        }
        var mark: Double?
        if let m = o["mark"], m != .null {
            switch number(m) {
            case let .success(value) where value > 0: mark = value
            case .success: return .failure(Reason(message: "mark: must be > 0"))
            case let .failure(reason): return .failure(Reason(message: "mark: \(reason.message)"))
            }
        }
        return .success((name, items, liquidity, mark))
    }

    /// `{dailyVolume, depth1Pct, impactY}`, each finite and > 0; the reason names the field.
    static func marketLiquidity(_ value: JSONValue) -> Result<MarketLiquidity, Reason> {
        guard case let .object(o) = value else {
            return .failure(Reason(message: "expected an object {dailyVolume, depth1Pct, impactY}"))
        }
        let names = ["dailyVolume", "depth1Pct", "impactY"]
        for key in o.keys.sorted() where !names.contains(key) {
            return .failure(Reason(message: "\(echo(key)): unknown field"))
        }
        var figures: [Double] = []
        for name in names {
            switch number(o[name]) {
            case let .success(v) where v > 0: figures.append(v)
            case .success: return .failure(Reason(message: "\(name): must be > 0"))
            case let .failure(reason): return .failure(Reason(message: "\(name): \(reason.message)"))
            }
        }
        return .success(MarketLiquidity(dailyVolume: figures[0], depth1Pct: figures[1], impactY: figures[2]))
    }

    private static let positionFields: Set<String> = ["side", "size", "entry", "collateral", "account"]

    static func position(_ value: JSONValue) -> Result<Position, Reason> {
        guard case let .object(o) = value else {
            return .failure(Reason(message: "expected an object {side, size, entry, collateral, account?}"))
        }
        for key in o.keys where !positionFields.contains(key) {
            return .failure(Reason(message: "\(echo(key)): unknown field"))
        }
        let side: PositionSide
        switch o["side"] {
        case let .string(s)?:
            guard let known = PositionSide(rawValue: s) else {
                return .failure(Reason(message: "side: \"\(echo(s))\" is not long or short"))
            }
            side = known
        default: return .failure(Reason(message: "side: expected \"long\" or \"short\""))
        }
        var figures: (size: Double, entry: Double, collateral: Double) = (0, 0, 0)
        switch number(o["size"]) {
        case let .success(v) where v > 0: figures.size = v
        case .success: return .failure(Reason(message: "size: must be > 0"))
        case let .failure(reason): return .failure(Reason(message: "size: \(reason.message)"))
        }
        switch number(o["entry"]) {
        case let .success(v) where v > 0: figures.entry = v
        case .success: return .failure(Reason(message: "entry: must be > 0"))
        case let .failure(reason): return .failure(Reason(message: "entry: \(reason.message)"))
        }
        switch number(o["collateral"]) {
        case let .success(v) where v >= 0: figures.collateral = v
        case .success: return .failure(Reason(message: "collateral: must be >= 0"))
        case let .failure(reason): return .failure(Reason(message: "collateral: \(reason.message)"))
        }
        var account: String?
        switch o["account"] {
        case nil, .null?: break
        case let .string(a)?: account = a
        case let other?: return .failure(Reason(message: "account: expected a string, got \(other.typeName)"))
        }
        return .success(
            Position(
                side: side,
                size: figures.size,
                entry: figures.entry,
                collateral: figures.collateral,
                account: account
            )
        )
    }

    /// A finite number, given as a JSON number or as decimal text.
    static func number(_ value: JSONValue?) -> Result<Double, Reason> {
        switch value {
        case let .number(d)?:
            return d.isFinite ? .success(d) : .failure(Reason(message: "is not finite"))
        case let .string(s)?:
            guard let d = DecimalText.number(s) else {
                return .failure(Reason(message: "\"\(echo(s))\" \(DecimalText.refusal(s))"))
            }
            return d.isFinite ? .success(d) : .failure(Reason(message: "\"\(echo(s))\" is not finite"))
        case nil: return .failure(Reason(message: "missing (expected a number)"))
        case let other?: return .failure(Reason(message: "expected a number, got \(other.typeName)"))
        }
    }
}
