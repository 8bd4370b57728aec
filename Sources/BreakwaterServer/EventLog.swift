import BreakwaterEngine
import Logging

/// The log lines of the engine's events: one line per event, named by its kind
/// (`breaker.transition` with the reasons it left, `fromReasons`, and those it entered,
/// `reasons`), except that a source's status changes are rate-limited per market and source:
/// after a `source.status` line, that source's further changes within `sourceWindowSeconds`
/// are counted, not logged, and once the window has passed one line says where they ended
/// (`from` the status last logged, `to` the latest, `changes` how many it stands for). So a
/// source flapping outlier <-> ok logs at most one line a second, and the last status it
/// reached is always in the log. Time is the engine's (epoch seconds), given with each call.
struct EventLog {
    let logger: Logger
    /// After a `source.status` line, seconds during which that source's changes are held.
    static let sourceWindowSeconds: EpochSeconds = 1

    private struct SourceKey: Hashable {
        var market: String
        var source: String
    }

    /// One market and source's window: opened by a logged line at `start`.
    private struct Window {
        var start: EpochSeconds
        /// The status the last logged line went `to`.
        var shown: String
        /// Changes held since that line, and the latest of them.
        var held = 0
        var latest: EngineEvent?
    }

    private var windows: [SourceKey: Window] = [:]

    init(logger: Logger) { self.logger = logger }

    /// Logs `events` (in time order): each at once, but a source's status change only when its
    /// window is closed (the held changes' line first, if any).
    mutating func log(_ events: [EngineEvent]) {
        for e in events {
            guard e.kind == .sourceStatus, let source = e.source else {
                write(e)
                continue
            }
            let key = SourceKey(market: e.market, source: source)
            if var w = windows[key], e.time - w.start < Self.sourceWindowSeconds {
                w.held += 1
                w.latest = e
                windows[key] = w
                continue
            }
            if let w = windows[key], w.held > 0 { writeHeld(w) }
            write(e)
            windows[key] = Window(start: e.time, shown: e.to)
        }
    }

    /// Logs the held changes of every window that has closed by `now` (all of them when
    /// `closingAll`, at shutdown), and forgets the windows with nothing held.
    mutating func logHeld(at now: EpochSeconds, closingAll: Bool = false) {
        let closed = windows.filter { closingAll || now - $0.value.start >= Self.sourceWindowSeconds }
        for (key, w) in closed.sorted(by: {
            ($0.value.start, $0.key.market, $0.key.source) < ($1.value.start, $1.key.market, $1.key.source)
        }) {
            guard w.held > 0, let latest = w.latest else {
                windows[key] = nil
                continue
            }
            writeHeld(w)
            // The held line opens a new window: a source still flapping logs once a second.
            windows[key] = Window(start: max(now, latest.time), shown: latest.to)
        }
    }

    /// The line for the changes held in `w`: from the status last logged to the latest.
    private func writeHeld(_ w: Window) {
        guard let latest = w.latest else { return }
        var held = latest
        held.from = w.shown
        write(held, changes: w.held, since: w.start)
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
