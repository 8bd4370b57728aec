/// Which markets the passing of time changed (`RiskEngine.advance(to:)`), so that the owner
/// republishes only those at a tick instead of snapshotting every market.
///
/// A market is `changed` when an evaluation without a quote changed anything its snapshot
/// shows, other than what moves with the time it is read at (`asOf`, the sources' ages: a
/// reader computes those) and the band's reference; it is `referenceMoved` when only the
/// reference (the time-weighted mean, which drifts tick after tick while recent prices differ)
/// moved. Each market is listed once until taken, in evaluation order.
public struct TickChanges: Sendable, Equatable {
    /// Markets to snapshot again.
    public internal(set) var changed: [Int] = []
    /// Markets whose reference (and so its band) alone moved.
    public internal(set) var referenceMoved: [Int] = []

    public init(changed: [Int] = [], referenceMoved: [Int] = []) {
        self.changed = changed
        self.referenceMoved = referenceMoved
    }

    public var isEmpty: Bool { changed.isEmpty && referenceMoved.isEmpty }
}

/// Per market, what has been noted since the last `RiskEngine.takeTickChanges()`.
struct TickChangeMarks {
    /// 0: nothing; 1: the reference moved; 2: changed.
    private var marks: [UInt8]
    private var noted = TickChanges()

    init(markets: Int) { marks = Array(repeating: 0, count: markets) }

    mutating func noteChanged(_ i: Int) {
        guard marks[i] < 2 else { return }
        marks[i] = 2
        noted.changed.append(i)
    }

    mutating func noteReferenceMoved(_ i: Int) {
        guard marks[i] == 0 else { return }
        marks[i] = 1
        noted.referenceMoved.append(i)
    }

    /// The noted markets (a market noted both ways only as changed), then nothing.
    mutating func take() -> TickChanges {
        var out = noted
        out.referenceMoved.removeAll { marks[$0] == 2 }
        for i in out.changed { marks[i] = 0 }
        for i in out.referenceMoved { marks[i] = 0 }
        noted = TickChanges()
        return out
    }
}

/// What a market's snapshot shows, but for the time-dependent parts named in `TickChanges`,
/// read straight from its state (no allocation). Its sources are compared with `showsSame`.
struct ShownMarketFields: Equatable {
    var aggregate: AggregateResult
    var lastGoodPrice: Double?
    var lastGoodPriceTime: EpochSeconds?
    var volatilityPerStep: Double
    /// Per side: published maintenance and target (initial margins follow from these).
    var longMaintenance: Double
    var shortMaintenance: Double
    var longTarget: Double
    var shortTarget: Double
    var atRiseBound: Bool
    /// Its halts, timers and oracle cause (`until`, `actions` and `haltsAt` are computed from
    /// these and the warming bit of `reasonMask`; an evaluation clears the operator's halt,
    /// `manualHalt`, only when its end comes, which changes `breaker.manuallyHalted`).
    var breaker: CircuitBreaker
    var state: BreakerState
    var reasonMask: UInt8
    var since: EpochSeconds
    var spreadWide: Bool

    /// Read in place (a copy of the whole market state would cost more than the evaluation).
    init(_ m: UnsafePointer<MarketState>) {
        aggregate = m.pointee.aggregate
        lastGoodPrice = m.pointee.lastGoodPrice
        lastGoodPriceTime = m.pointee.lastGoodPriceTime
        volatilityPerStep = m.pointee.volatility.volatilityPerStep
        longMaintenance = m.pointee.margin.longMaintenance
        shortMaintenance = m.pointee.margin.shortMaintenance
        longTarget = m.pointee.margin.longTarget
        shortTarget = m.pointee.margin.shortTarget
        atRiseBound = m.pointee.margin.atRiseBound
        breaker = m.pointee.breaker
        state = m.pointee.state
        reasonMask = m.pointee.reasonMask
        since = m.pointee.since
        spreadWide = m.pointee.spreadWide
    }
}

extension EngineMemory {
    /// Re-evaluates market `i` at `clock` and notes in `marks` what its snapshot would show differently.
    func evaluateNotingChanges(
        _ i: Int,
        at clock: EpochSeconds,
        events: inout [EngineEvent],
        marks: inout TickChangeMarks
    ) {
        let market = UnsafePointer(markets.address(i).assumingMemoryBound(to: MarketState.self))
        let before = ShownMarketFields(market)
        let reference = market.pointee.referencePrice
        let src = sources(of: i)
        let sourcesChanged = withUnsafeTemporaryAllocation(of: SourceState.self, capacity: src.count) { copy -> Bool in
            for j in 0..<src.count { copy.initializeElement(at: j, to: src[j]) }
            evaluate(i, at: clock, events: &events)
            defer { copy.deinitialize() }
            return (0..<src.count).contains { !copy[$0].showsSame(as: src[$0]) }
        }
        if sourcesChanged || ShownMarketFields(market) != before {
            marks.noteChanged(i)
        } else if market.pointee.referencePrice?.bitPattern != reference?.bitPattern {
            marks.noteReferenceMoved(i)
        }
    }
}

extension SourceState {
    /// True when a snapshot shows this source as `other` (its age aside, which moves with the
    /// read time); prices and times by their bits, so that NaN (none) equals itself.
    func showsSame(as other: SourceState) -> Bool {
        status == other.status && rawPrice.bitPattern == other.rawPrice.bitPattern
            && rawConfidence.bitPattern == other.rawConfidence.bitPattern
            && rawSpread.bitPattern == other.rawSpread.bitPattern
            && rawTime.bitPattern == other.rawTime.bitPattern
            && rawDeviation.bitPattern == other.rawDeviation.bitPattern
            && acceptedCount == other.acceptedCount && rejectedCount == other.rejectedCount && enabled == other.enabled
            && hasError == other.hasError && lastRejection == other.lastRejection
    }
}
