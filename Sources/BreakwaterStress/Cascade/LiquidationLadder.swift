/// One side of one market's positions, sorted once in the order a move liquidates them, with
/// prefix sums, so that "who is liquidated at price P" and "how much do they owe beyond their
/// collateral at fill F" are each a binary search.
///
/// Longs are sorted by liquidation price descending (a falling price reaches the highest
/// first), shorts ascending. With one maintenance margin m per market, the bankruptcy price is
/// P_liq (1 - m) for a long and P_liq (1 + m) for a short, so the same order sorts bankruptcy
/// prices too.
struct LiquidationLadder: Sendable {
    let side: PositionSide
    /// Liquidation prices in liquidation order.
    let liquidation: [Double]
    /// Prefix sums of size: `size[k]` is the sum over the first k positions (count + 1 entries).
    let size: [Double]
    /// Prefix sums of size x bankruptcy price (count + 1 entries).
    let sizeTimesBankruptcy: [Double]
    /// Index in the market's position list of each ladder entry.
    let original: [Int32]

    init(side: PositionSide, positions: [Position], maintenance m: Double) {
        self.side = side
        var entries: [(liq: Double, index: Int32)] = []
        for (i, p) in positions.enumerated() where p.side == side {
            entries.append((p.liquidationPrice(maintenance: m), Int32(i)))
        }
        if side == .long {
            entries.sort { $0.liq > $1.liq }
        } else {
            entries.sort { $0.liq < $1.liq }
        }
        var size = [0.0]
        var sizeBk = [0.0]
        size.reserveCapacity(entries.count + 1)
        sizeBk.reserveCapacity(entries.count + 1)
        for e in entries {
            let p = positions[Int(e.index)]
            size.append(size[size.count - 1] + p.size)
            sizeBk.append(sizeBk[sizeBk.count - 1] + p.size * p.bankruptcyPrice)
        }
        self.liquidation = entries.map(\.liq)
        self.original = entries.map(\.index)
        self.size = size
        self.sizeTimesBankruptcy = sizeBk
    }

    var count: Int { liquidation.count }

    /// How many positions are liquidatable at `price`: longs with P_liq >= price, shorts with
    /// P_liq <= price (a prefix of the ladder).
    func liquidatable(at price: Double) -> Int {
        var lo = 0
        var hi = liquidation.count
        if side == .long {
            while lo < hi {
                let mid = (lo + hi) >> 1
                if liquidation[mid] >= price { lo = mid + 1 } else { hi = mid }
            }
        } else {
            while lo < hi {
                let mid = (lo + hi) >> 1
                if liquidation[mid] <= price { lo = mid + 1 } else { hi = mid }
            }
        }
        return lo
    }

    /// How many positions (a prefix) fill beyond their bankruptcy price at `fill`: longs with
    /// P_bk > fill, shorts with P_bk < fill, found through P_liq = P_bk / (1 -+ m).
    func underwater(at fill: Double, maintenance m: Double) -> Int {
        var lo = 0
        var hi = liquidation.count
        if side == .long {
            let bound = fill / (1 - m)
            while lo < hi {
                let mid = (lo + hi) >> 1
                if liquidation[mid] > bound { lo = mid + 1 } else { hi = mid }
            }
        } else {
            let bound = fill / (1 + m)
            while lo < hi {
                let mid = (lo + hi) >> 1
                if liquidation[mid] < bound { lo = mid + 1 } else { hi = mid }
            }
        }
        return lo
    }

    /// Sum of size over ladder entries `range`, base units.
    func size(_ range: Range<Int>) -> Double { size[range.upperBound] - size[range.lowerBound] }

    /// What positions `range` owe beyond their collateral when they fill at `fill`:
    /// sum of q (P_bk - fill) for longs, q (fill - P_bk) for shorts; the caller passes only
    /// positions that are underwater at `fill`, so every term is >= 0.
    func shortfall(_ range: Range<Int>, fill: Double) -> Double {
        guard !range.isEmpty else { return 0 }
        let q = size(range)
        let qbk = sizeTimesBankruptcy[range.upperBound] - sizeTimesBankruptcy[range.lowerBound]
        return max(0, side == .long ? qbk - fill * q : fill * q - qbk)
    }
}
