/// Which way a position bets: a long loses on a down move, a short on an up move.
public enum PositionSide: String, Sendable, CaseIterable, Codable {
    case long
    case short
}

/// One isolated-margin position, or a bucket of many with the same side, entry and leverage.
///
/// Invariants (the reader refuses anything else): `size > 0` (base units), `entry > 0` (quote
/// currency per base unit), `collateral >= 0` (quote currency), all finite.
public struct Position: Sendable, Equatable {
    public var side: PositionSide
    /// Base units (q), > 0.
    public var size: Double
    /// Entry price (E), quote per base unit, > 0.
    public var entry: Double
    /// Collateral (C) in quote currency, >= 0.
    public var collateral: Double
    /// The account holding it; only used to rank auto-deleveraging (nil for a bucket).
    public var account: String?

    public init(side: PositionSide, size: Double, entry: Double, collateral: Double, account: String? = nil) {
        self.side = side
        self.size = size
        self.entry = entry
        self.collateral = collateral
        self.account = account
    }

    /// Entry notional, quote currency (q E).
    public var entryNotional: Double { size * entry }

    /// Liquidation price under maintenance margin `m` (fraction): long (qE - C) / (q (1 - m)),
    /// short (qE + C) / (q (1 + m)). May be <= 0 for a long with more collateral than notional.
    public func liquidationPrice(maintenance m: Double) -> Double {
        switch side {
        case .long: (size * entry - collateral) / (size * (1 - m))
        case .short: (size * entry + collateral) / (size * (1 + m))
        }
    }

    /// Bankruptcy price, where the collateral is gone: long E - C/q, short E + C/q.
    public var bankruptcyPrice: Double {
        switch side {
        case .long: entry - collateral / size
        case .short: entry + collateral / size
        }
    }
}
