/// A time-ordered queue of (time, price) entries whose prices only fall (a queue of
/// highs) or only rise (a queue of lows) from oldest to newest: the sliding-window extreme
/// of the velocity rule.
///
/// The newest `inlineCapacity` entries live in a ring the owner stores inline (passed to
/// every call as `Slots`, so the small header here and the ring can sit in different places
/// of the market's state); older ones spill to an array, so the queue is exact at any length.
/// Invariant: every spilled entry is older than every ring entry.
struct MonotoneQueue: Sendable {
    struct Entry: Sendable {
        var time: EpochSeconds
        var price: Double
    }

    static let inlineCapacity = 32
    /// Ring indices wrap with this mask (the capacity is a power of two).
    private static let mask: Int32 = 31
    typealias Ring = InlineArray<32, Entry>
    static let emptyRing = Ring(repeating: Entry(time: 0, price: 0))

    private var ringHead: Int32 = 0
    private var ringCount: Int32 = 0
    /// Live entries in `spill`, from `spillHead`. While it is 0 (the usual case) no
    /// operation touches the array.
    private var spilled: Int32 = 0
    private var spillHead: Int32 = 0
    private var spill: [Entry] = []
    /// A copy of the oldest entry (meaningful while not empty), kept in the header so that
    /// the per-quote expiry check and extreme read do not touch the ring; the ring's oldest
    /// slot is read only when that entry leaves.
    private(set) var oldest = Entry(time: 0, price: 0)

    init() {}

    var isEmpty: Bool { ringCount | spilled == 0 }

    /// Drops the entries older than `cutoff`.
    @inline(__always)
    mutating func dropOlder(than cutoff: EpochSeconds, _ ring: Slots<Entry>) {
        // Usually nothing has expired: one comparison with the header's copy of the oldest.
        if !isEmpty && oldest.time < cutoff { dropExpired(olderThan: cutoff, ring) }
    }

    @inline(never)
    private mutating func dropExpired(olderThan cutoff: EpochSeconds, _ ring: Slots<Entry>) {
        while !isEmpty && oldest.time < cutoff {
            if spilled > 0 {
                removeOldestSpilled()
            } else {
                ringHead = (ringHead + 1) & Self.mask
                ringCount -= 1
            }
            if spilled > 0 {
                oldest = spill[Int(spillHead)]
            } else if ringCount > 0 {
                oldest = ring[Int(ringHead)]
            }
        }
    }

    /// Appends `price` at `time`, first removing the newer entries it dominates: for a queue
    /// of highs (`keepsHighs`, newer entries lower) those not above it, for lows those not
    /// below it.
    @inline(__always)
    mutating func push(_ price: Double, at time: EpochSeconds, keepsHighs: Bool, _ ring: Slots<Entry>) {
        var count = ringCount
        while count > 0 && Self.dominated(ring[Int((ringHead &+ count &- 1) & Self.mask)].price, by: price, keepsHighs)
        {
            count &-= 1
        }
        ringCount = count
        // The spill is involved only when the ring emptied over spilled entries or is full.
        if count == 0 && spilled > 0 || count == Int32(Self.inlineCapacity) {
            pushThroughSpill(price, at: time, keepsHighs: keepsHighs, ring)
            return
        }
        let entry = Entry(time: time, price: price)
        if count == 0 { oldest = entry }  // nothing spilled either: the queue was empty
        ring[Int((ringHead &+ count) & Self.mask)] = entry
        ringCount = count &+ 1
    }

    /// True when `last` is dominated by a newer `price`: for highs not above it, for lows not below.
    @inline(__always)
    private static func dominated(_ last: Double, by price: Double, _ keepsHighs: Bool) -> Bool {
        keepsHighs ? last <= price : last >= price
    }

    /// The rest of `push` once the ring holds no dominated entry, when the spill is involved.
    @inline(never)
    private mutating func pushThroughSpill(
        _ price: Double,
        at time: EpochSeconds,
        keepsHighs: Bool,
        _ ring: Slots<Entry>
    ) {
        if ringCount == 0 {
            while spilled > 0 && Self.dominated(spill[spill.count - 1].price, by: price, keepsHighs) {
                removeNewestSpilled()
            }
        }
        if ringCount == Int32(Self.inlineCapacity) {
            spill.append(ring[Int(ringHead)])
            spilled += 1
            ringHead = (ringHead + 1) & Self.mask
            ringCount -= 1
        }
        let entry = Entry(time: time, price: price)
        if isEmpty { oldest = entry }
        ring[Int((ringHead + ringCount) & Self.mask)] = entry
        ringCount += 1
    }

    mutating func removeAll() {
        ringHead = 0
        ringCount = 0
        spill.removeAll(keepingCapacity: true)
        spilled = 0
        spillHead = 0
    }

    /// The ring slots the next push reads and writes (what a prefetch asks for; see
    /// `EngineMemory.prefetchWindows`). Reads only the header's integers.
    var nextPushSlots: (newest: Int, next: Int) {
        // The newest entry (compared by the push) and the slot the push writes; the oldest
        // is copied in the header.
        (Int((ringHead + max(ringCount, 1) - 1) & Self.mask), Int((ringHead + ringCount) & Self.mask))
    }

    private mutating func removeOldestSpilled() {
        spillHead += 1
        spilled -= 1
        if spilled == 0 {
            spill.removeAll(keepingCapacity: true)
            spillHead = 0
        } else if spillHead > 64 && spillHead > spilled {
            spill.removeFirst(Int(spillHead))
            spillHead = 0
        }
    }

    private mutating func removeNewestSpilled() {
        spill.removeLast()
        spilled -= 1
        if spilled == 0 {
            spill.removeAll(keepingCapacity: true)
            spillHead = 0
        }
    }
}
