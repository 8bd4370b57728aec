/// Which way the price is shocked: down liquidates longs, up liquidates shorts.
public enum ShockDirection: String, Sendable, CaseIterable, Codable {
    case down
    case up

    /// The other direction (a negative beta turns a move around).
    public var opposite: ShockDirection { self == .down ? .up : .down }
    /// The side this direction liquidates.
    public var losingSide: PositionSide { self == .down ? .long : .short }
}

/// A price shock: P0 = P_ref (1 - size) down (floored at 0), P_ref (1 + size) up.
public struct Shock: Sendable, Equatable, Codable {
    public var direction: ShockDirection
    /// Fraction of the reference price, >= 0 (0.1 = 10 %).
    public var size: Double

    public init(_ direction: ShockDirection, _ size: Double) {
        self.direction = direction
        self.size = size
    }
}
