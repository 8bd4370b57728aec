/// Backtest of a market's margin model, per side (domain-systemic.md section 1).
///
/// Windows are non-overlapping spans of the horizon on the sampling grid: a window opens at an
/// observation with a trusted price, at the start of that observation's grid step, recording the
/// price and the margins published for each side; it ends one horizon (rounded up to whole grid
/// steps) later. The first trusted price observed at or after the end, no later than the
/// market's max age after it, closes it and opens the next window. When none comes within the
/// max age, the window is skipped (counted, never compared: an outage must not stretch a window)
/// and the next one opens at the next trusted price. A long's exception is a fall of more than
/// its margin, a short's a rise of more than its margin, each judged against p = 1 - coverage,
/// at maintenance and at initial margin.
///
/// State per market: the open window and four `HitRecord`s (side x level), a few hundred bytes
/// whatever the length of the history. Pure: time is a parameter.
public struct MarginBacktest: Sendable, Equatable {
    /// The horizon rounded up to whole grid steps, seconds.
    public let horizonSeconds: Double
    public let sampleSeconds: Double
    /// How long after a window's end a trusted price may close it, seconds.
    public let maxAgeSeconds: Double
    public let coverage: Double
    /// Windows skipped for want of a trusted price near their end.
    public private(set) var skipped = 0
    /// End of the last window closed or skipped, epoch seconds.
    public private(set) var lastEnd: EpochSeconds?
    private var records = [HitRecord](repeating: HitRecord(), count: 4)
    private var open: (start: EpochSeconds, price: Double, margins: PublishedMargins)?

    /// - Parameters: seconds; `coverage` in (0.5, 1).
    public init(horizonSeconds: Double, sampleSeconds: Double, maxAgeSeconds: Double, coverage: Double) {
        let step = sampleSeconds > 0 ? sampleSeconds : 1
        self.sampleSeconds = step
        self.horizonSeconds = max(1, (horizonSeconds / step).rounded(.up)) * step
        self.maxAgeSeconds = max(0, maxAgeSeconds)
        self.coverage = coverage
    }

    /// The backtest of a market with these parameters.
    public init(market: MarketParameters) {
        self.init(
            horizonSeconds: market.margin.horizonSeconds,
            sampleSeconds: market.margin.sampleSeconds,
            maxAgeSeconds: market.aggregation.maxAgeSeconds,
            coverage: market.margin.coverage
        )
    }

    /// The exception probability the margin promises on each side: 1 - coverage, rounded to 12
    /// decimals (so that 99 % gives 0.01, not 0.010000000000000009, and the expected counts read
    /// as such).
    public var p: Double { ((1 - coverage) * 1e12).rounded() / 1e12 }

    /// Windows compared (closed with a price), on every side alike.
    public var windows: Int { records[0].windows }

    /// Start of the window in progress, if one is.
    public var openSince: EpochSeconds? { open?.start }

    /// Observes the market at `t`: its trusted price (nil while it has none) and the margins
    /// published now. Returns the window this observation closed or skipped, if any, with the
    /// zone changes it caused.
    public mutating func observe(price: Double?, margins: PublishedMargins, at t: EpochSeconds) -> BacktestOutcome? {
        let trusted = price.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        var finished: BacktestWindow?
        var changes: [BacktestZoneChange] = []
        if let o = open {
            let end = o.start + horizonSeconds
            guard t >= end else { return nil }
            if let trusted, t - end <= maxAgeSeconds {
                finished = BacktestWindow(
                    start: o.start,
                    end: end,
                    startPrice: o.price,
                    endPrice: trusted,
                    margins: o.margins
                )
            } else if t - end > maxAgeSeconds {
                finished = BacktestWindow(
                    start: o.start,
                    end: end,
                    startPrice: o.price,
                    endPrice: nil,
                    margins: o.margins
                )
            } else {
                return nil  // no price yet, still within the max age of the end
            }
            changes = record(finished!)
            open = nil
        }
        if let trusted, Self.valid(margins) {
            let start = (t / sampleSeconds).rounded(.down) * sampleSeconds
            open = (max(start, finished?.end ?? start), trusted, margins)
        }
        return finished.map { BacktestOutcome(window: $0, zoneChanges: changes) }
    }

    /// Counts a finished window (closed by `observe`, or read back from storage after a
    /// restart); returns the maintenance zone changes it caused.
    @discardableResult
    public mutating func record(_ w: BacktestWindow) -> [BacktestZoneChange] {
        lastEnd = max(lastEnd ?? w.end, w.end)
        guard !w.skipped else {
            skipped += 1
            return []
        }
        let before = MarginSide.allCases.map { zone($0) ?? .green }
        for side in MarginSide.allCases {
            for level in MarginLevel.allCases {
                records[Self.index(side, level)].record(w.isException(side, level) ?? false)
            }
        }
        var changes: [BacktestZoneChange] = []
        for (side, from) in zip(MarginSide.allCases, before) {
            let figures = record(side, .maintenance).last250(p: p)
            let to = figures.zone ?? .green
            if to != from {
                changes.append(BacktestZoneChange(side: side, from: from, to: to, time: w.end, figures: figures))
            }
        }
        return changes
    }

    /// The hit record of `side` at `level`.
    public func record(_ side: MarginSide, _ level: MarginLevel) -> HitRecord { records[Self.index(side, level)] }

    /// The Basel zone of `side`'s maintenance margin over the last 250 windows (nil: unrated).
    public func zone(_ side: MarginSide) -> BaselZone? { record(side, .maintenance).last250(p: p).zone }

    /// Every figure, per side and level, over the whole history and over the last 250 windows.
    public var report: BacktestReport { BacktestReport(self) }

    private static func index(_ side: MarginSide, _ level: MarginLevel) -> Int {
        (side == .long ? 0 : 2) + (level == .maintenance ? 0 : 1)
    }

    private static func valid(_ m: PublishedMargins) -> Bool {
        [m.longMaintenance, m.longInitial, m.shortMaintenance, m.shortInitial].allSatisfy { $0.isFinite && $0 >= 0 }
    }

    public static func == (l: Self, r: Self) -> Bool {
        l.horizonSeconds == r.horizonSeconds && l.sampleSeconds == r.sampleSeconds
            && l.maxAgeSeconds == r.maxAgeSeconds && l.coverage == r.coverage && l.skipped == r.skipped
            && l.lastEnd == r.lastEnd && l.records == r.records && l.open?.start == r.open?.start
            && l.open?.price == r.open?.price && l.open?.margins == r.open?.margins
    }
}
