import BreakwaterEngine
import Logging

/// The log lines of the engine's events: one line per event, named by its kind
/// (`breaker.transition` with the reasons it left, `fromReasons`, and those it entered,
/// `reasons`), except that a source's status changes are gathered per market and source: a
/// change opens a window of `sourceWindowSeconds`, the changes within it are held, and when the
/// window has passed one line says where they went (`from` the status before the first, `to` the
/// latest; with more than one change, `changes` how many and `seconds` over how long). So a
/// source flapping outlier <-> ok 16 times within a second is one line, a source that keeps
/// flapping is one line a second, and the last status it reached is always in the log; a single
/// change is logged up to a window (plus a tick) late. Time is the engine's (epoch seconds),
/// given with each call.
struct EventLog {
    let logger: Logger
    /// Seconds a source's status changes are held from its first change before one line says them.
    static let sourceWindowSeconds: EpochSeconds = 1

    private struct SourceKey: Hashable {
        var market: String
        var source: String
    }

    /// One market and source's open window: opened by a change at `start`.
    private struct Window {
        var start: EpochSeconds
        /// The status before the window's first change.
        var before: String
        /// Changes held in the window, and the latest of them.
        var held: Int
        var latest: EngineEvent
    }

    private var windows: [SourceKey: Window] = [:]

    init(logger: Logger) { self.logger = logger }

    /// Logs `events` (in time order): each at once, except a source's status changes, which are
    /// held in their window (a change after its window has passed closes it first).
    mutating func log(_ events: [EngineEvent]) {
        for e in events {
            guard e.kind == .sourceStatus, let source = e.source else {
                write(e)
                continue
            }
            let key = SourceKey(market: e.market, source: source)
            if var w = windows[key] {
                if e.time - w.start < Self.sourceWindowSeconds {
                    w.held += 1
                    w.latest = e
                    windows[key] = w
                    continue
                }
                writeHeld(w)
            }
            windows[key] = Window(start: e.time, before: e.from, held: 1, latest: e)
        }
    }

    /// Logs every window that has passed by `now` (all of them when `closingAll`, at shutdown),
    /// one line each, oldest first, and forgets them.
    mutating func logHeld(at now: EpochSeconds, closingAll: Bool = false) {
        let closed = windows.filter { closingAll || now - $0.value.start >= Self.sourceWindowSeconds }
        for (key, w) in closed.sorted(by: {
            ($0.value.start, $0.key.market, $0.key.source) < ($1.value.start, $1.key.market, $1.key.source)
        }) {
            writeHeld(w)
            windows[key] = nil
        }
    }

    /// The line for the changes held in `w`: from the status before them to the latest.
    private func writeHeld(_ w: Window) {
        guard w.held > 1 else { return write(w.latest) }
        var line = w.latest
        line.from = w.before
        write(line, changes: w.held, since: w.start)
    }

    private func write(_ e: EngineEvent, changes: Int? = nil, since: EpochSeconds? = nil) {
        var meta: Logger.Metadata = [
            "market": "\(e.market)", "from": "\(e.from)", "to": "\(e.to)",
            "reasons": "\(Self.list(e.reasons))",
        ]
        if e.kind == .breakerTransition { meta["fromReasons"] = "\(Self.list(e.fromReasons))" }
        if let s = e.source { meta["source"] = "\(s)" }
        if let m = e.message { meta["message"] = "\(m)" }
        if let changes, let since {
            meta["changes"] = "\(changes)"
            meta["seconds"] = "\(((e.time - since) * 100).rounded() / 100)"
        }
        logger.info("\(e.kind.rawValue)", metadata: meta)
    }

    private static func list(_ reasons: [ReasonCode]) -> String { reasons.map(\.rawValue).joined(separator: ",") }
}
