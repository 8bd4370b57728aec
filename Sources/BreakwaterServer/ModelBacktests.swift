import BreakwaterAlerts
import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore

/// The live margin backtest of every market (`MarginBacktest`), fed by the Monitor's tick from
/// the markets' snapshots once per grid step, off the quote path; with what is still to be
/// stored: the finished windows, and the `model.breach` conditions whose state changed.
///
/// Invariants: `unstored` keeps every finished window until a hand-over stored it (nothing
/// finished is lost while storage fails); `committed[i]` is the alert state last handed over
/// for market i (`.unknown` until the first hand-over after start-up).
struct ModelBacktests {
    enum Committed: Equatable {
        case unknown
        case none
        case firing(AlertSeverity)
    }

    private(set) var backtests: [MarginBacktest]
    let ids: [String]
    /// Per market: the grid step last observed (`Int64.min` before the first).
    private var lastStep: [Int64]
    private(set) var unstored: [BacktestWindowRecord] = []
    /// Most windows held while storage fails (beyond it the oldest are dropped and counted).
    static let maxUnstored = 100_000
    private(set) var droppedWindows = 0
    /// Stores the windows and commits the conditions (set once storage is open).
    var handler: (@Sendable ([BacktestWindowRecord], [AlertCondition], EpochSeconds) async throws -> Void)?
    /// A background hand-over is running (the next ticks do not start another).
    var handing = false
    /// When a failed hand-over was last logged (epoch seconds).
    var lastFailureLog: EpochSeconds = -.infinity
    private(set) var committed: [Committed]
    /// Markets whose report changed since the board last had it.
    private(set) var changed = Set<Int>()
    /// Markets whose alert state may differ from `committed`, with how many times each changed
    /// (a change during a hand-over keeps the market to check).
    private var unchecked: [Int: Int] = [:]

    init(markets: [MarketParameters]) {
        backtests = markets.map { MarginBacktest(market: $0) }
        ids = markets.map(\.id)
        lastStep = Array(repeating: .min, count: markets.count)
        committed = Array(repeating: .unknown, count: markets.count)
        changed = Set(markets.indices)
        for i in markets.indices { unchecked[i] = 0 }
    }

    /// The markets whose grid step has moved on by `t` (each is observed once per step).
    mutating func due(at t: EpochSeconds) -> [Int] {
        var out: [Int] = []
        for i in backtests.indices {
            let step = Int64((t / backtests[i].sampleSeconds).rounded(.down))
            if step > lastStep[i] {
                lastStep[i] = step
                out.append(i)
            }
        }
        return out
    }

    /// Observes market `i` as its snapshot `s` shows it, each side with its own margins.
    mutating func observe(_ i: Int, _ s: MarketSnapshot) {
        let margins = PublishedMargins(
            longMaintenance: s.longMaintenanceMargin,
            longInitial: s.longInitialMargin,
            shortMaintenance: s.shortMaintenanceMargin,
            shortInitial: s.shortInitialMargin
        )
        guard let outcome = backtests[i].observe(price: s.price, margins: margins, at: s.asOf) else { return }
        unstored.append(BacktestWindowRecord(market: ids[i], window: outcome.window))
        if unstored.count > Self.maxUnstored {
            droppedWindows += unstored.count - Self.maxUnstored
            unstored.removeFirst(unstored.count - Self.maxUnstored)
        }
        changed.insert(i)
        unchecked[i, default: 0] += 1
    }

    /// Whether anything waits for a hand-over.
    var hasWork: Bool { !unstored.isEmpty || !unchecked.isEmpty }

    /// Counts the windows stored before a restart (each market's in the order they ended).
    mutating func restore(_ stored: [String: [BacktestWindow]]) {
        for (i, id) in ids.enumerated() {
            for w in stored[id] ?? [] { backtests[i].record(w) }
            changed.insert(i)
            unchecked[i, default: 0] += 1
        }
    }

    /// The reports of the markets changed since the last call, by market id.
    mutating func takeChangedReports() -> [String: BacktestReport] {
        var out: [String: BacktestReport] = [:]
        for i in changed { out[ids[i]] = backtests[i].report }
        changed.removeAll()
        return out
    }

    /// The `model.breach` conditions to hand over: for every market whose alert state differs
    /// from the one last committed, the condition that resolves the old alert (when one was
    /// firing) and the one that opens the new (a rise in severity is a new alert; a fall keeps the
    /// alert until both sides are green). With the
    /// state each market will have once they are committed, and the markets checked.
    func conditionsDue() -> (conditions: [AlertCondition], states: [(Int, Committed)], checked: [Int: Int]) {
        var conditions: [AlertCondition] = []
        var states: [(Int, Committed)] = []
        for i in unchecked.keys.sorted() {
            let report = backtests[i].report
            var now: Committed = ModelBreach.breach(report).map { .firing($0.severity) } ?? .none
            // A firing alert resolves when both sides are green again, not when red eases to yellow.
            if case let .firing(old) = committed[i], case let .firing(new) = now, new < old { now = committed[i] }
            guard now != committed[i] else { continue }
            if case let .firing(old) = committed[i] {
                conditions.append(ModelBreach.condition(market: ids[i], report: report, inactiveSeverity: old))
                if case .firing = now { conditions[conditions.count - 1].active = false }
            } else if committed[i] == .unknown, now == .none {
                // After a start: resolves an alert left firing by the last run, if there is one.
                conditions.append(ModelBreach.condition(market: ids[i], report: report))
            }
            if case .firing = now { conditions.append(ModelBreach.condition(market: ids[i], report: report)) }
            states.append((i, now))
        }
        return (conditions, states, unchecked)
    }

    /// Records a successful hand-over: the first `windows` unstored windows are stored, `states`
    /// committed, and the `checked` markets (`conditionsDue`) unchanged since are checked.
    mutating func handedOver(windows: Int, states: [(Int, Committed)], checked: [Int: Int]) {
        unstored.removeFirst(min(windows, unstored.count))
        for (i, s) in states { committed[i] = s }
        for (i, count) in checked where unchecked[i] == count { unchecked[i] = nil }
    }
}
