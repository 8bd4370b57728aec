/// A market's recent history for the status page's charts: up to `capacity` samples, oldest
/// first, and beside each the deviation of every source from the median at that sample.
///
/// Deviations are fractions kept as `Int16` hundred-thousandths (0.001 % steps, ±32.767 % at
/// most: a source further off is shown at that edge); `Int16.min` means none (the source had no
/// fresh quote). 360 samples x 5 sources is 3.6 kB per market beside the samples' 14 kB.
public struct MarketHistory: Sendable, Equatable {
    public static let capacity = 360
    /// Steps of a kept deviation per unit of fraction.
    static let deviationScale = 100_000.0

    /// The market's source ids, in configuration order: the columns of `deviations`.
    public let sourceIDs: [String]
    public private(set) var samples: [HistorySample] = []
    /// Row-major: `sourceIDs.count` values per sample.
    private var deviationSteps: [Int16] = []

    public init(sourceIDs: [String]) { self.sourceIDs = sourceIDs }

    /// Appends `sample` with each source's deviation (fraction, nil for none; one per source id),
    /// dropping the oldest beyond `capacity`.
    public mutating func append(_ sample: HistorySample, deviations: [Double?]) {
        precondition(deviations.count == sourceIDs.count, "one deviation per source")
        // Grown by doubling, but never past the room `capacity` needs (left alone, it would end
        // at 512 samples' room); a new market's history starts small.
        if samples.count == samples.capacity {
            let room = min(Self.capacity + 1, max(16, samples.capacity * 2))
            samples.reserveCapacity(room)
            deviationSteps.reserveCapacity(room * sourceIDs.count)
        }
        samples.append(sample)
        deviationSteps.append(contentsOf: deviations.map(Self.steps))
        if samples.count > Self.capacity {
            let drop = samples.count - Self.capacity
            samples.removeFirst(drop)
            deviationSteps.removeFirst(drop * sourceIDs.count)
        }
    }

    /// The deviations (fractions) of sample `k`, one per source id, nil where a source had none.
    public func deviations(at k: Int) -> [Double?] {
        let n = sourceIDs.count
        return deviationSteps[(k * n)..<((k + 1) * n)].map { $0 == .min ? nil : Double($0) / Self.deviationScale }
    }

    static func steps(_ deviation: Double?) -> Int16 {
        guard let d = deviation, d.isFinite else { return .min }
        let scaled = (d * deviationScale).rounded()
        return Int16(max(-Double(Int16.max), min(Double(Int16.max), scaled)))
    }
}
