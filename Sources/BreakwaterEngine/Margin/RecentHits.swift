/// The hits (1 = exception) of the last `capacity` windows, oldest first, as bits: 32 bytes for
/// the Basel span of 250 windows, whatever the length of the history.
///
/// Invariants: `count <= capacity`; `exceptions` is the number of set bits among the `count` kept.
public struct RecentHits: Sendable, Equatable {
    public static let capacity = 250
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// Position of the oldest hit kept (the next to be overwritten once full).
    private var head = 0
    public private(set) var count = 0
    public private(set) var exceptions = 0

    public init() {}

    /// Appends the newest hit, dropping the oldest when full.
    public mutating func append(_ hit: Bool) {
        let position: Int
        if count < Self.capacity {
            position = (head + count) % Self.capacity
            count += 1
        } else {
            position = head
            if bit(position) { exceptions -= 1 }
            head = (head + 1) % Self.capacity
        }
        setBit(position, hit)
        if hit { exceptions += 1 }
    }

    /// The hits kept, oldest first.
    public var hits: [Bool] { (0..<count).map { bit((head + $0) % Self.capacity) } }

    private func bit(_ i: Int) -> Bool {
        let mask = UInt64(1) << UInt64(i % 64)
        switch i / 64 {
        case 0: return words.0 & mask != 0
        case 1: return words.1 & mask != 0
        case 2: return words.2 & mask != 0
        default: return words.3 & mask != 0
        }
    }

    private mutating func setBit(_ i: Int, _ value: Bool) {
        let mask = UInt64(1) << UInt64(i % 64)
        func apply(_ w: inout UInt64) { w = value ? w | mask : w & ~mask }
        switch i / 64 {
        case 0: apply(&words.0)
        case 1: apply(&words.1)
        case 2: apply(&words.2)
        default: apply(&words.3)
        }
    }

    public static func == (l: Self, r: Self) -> Bool { l.hits == r.hits }
}
