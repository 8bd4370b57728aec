/// The side of a position a margin protects: a long loses on a down move, a short on an up move.
public enum MarginSide: String, Sendable, CaseIterable, Codable {
    case long, short
}

/// The margin level a backtest checks: maintenance (where liquidation happens, set by the
/// coverage quantile) or initial (above it).
public enum MarginLevel: String, Sendable, CaseIterable, Codable {
    case maintenance, initial
}

/// The margins published for each side at one time, fractions of notional. Long and short are
/// separate numbers (a model may ask more of one side than of the other).
public struct PublishedMargins: Sendable, Equatable, Codable {
    public var longMaintenance: Double
    public var longInitial: Double
    public var shortMaintenance: Double
    public var shortInitial: Double

    public init(longMaintenance: Double, longInitial: Double, shortMaintenance: Double, shortInitial: Double) {
        self.longMaintenance = longMaintenance
        self.longInitial = longInitial
        self.shortMaintenance = shortMaintenance
        self.shortInitial = shortInitial
    }

    /// The margin of `side` at `level`.
    public subscript(side: MarginSide, level: MarginLevel) -> Double {
        switch (side, level) {
        case (.long, .maintenance): longMaintenance
        case (.long, .initial): longInitial
        case (.short, .maintenance): shortMaintenance
        case (.short, .initial): shortInitial
        }
    }
}
