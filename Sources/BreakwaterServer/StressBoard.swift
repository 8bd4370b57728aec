public import BreakwaterStress
import BreakwaterWire
import NIOCore
import Synchronization

/// The latest live stress pass, as the routes serve it: the report, its JSON (encoded on the
/// first read after a pass), each market's liquidation map, and the stress book it was computed
/// on (on-demand scenarios reuse its sorted positions). Reads never wait for a pass.
public final class StressBoard: Sendable {
    struct Latest: Sendable {
        var report: LiveStressReport
        var book: StressBook
        var json: ByteBuffer?
    }

    private let state = Mutex<Latest?>(nil)

    public init() {}

    /// The latest report, nil before the first pass.
    public var report: LiveStressReport? { state.withLock { $0?.report } }

    /// The stress book of the latest pass, nil before the first.
    public var book: StressBook? { state.withLock { $0?.book } }

    func publish(_ report: LiveStressReport, book: StressBook) {
        state.withLock { $0 = Latest(report: report, book: book, json: nil) }
    }

    /// `GET /v1/stress`: the latest report's JSON, encoded once per pass; nil before the first.
    func json() -> ByteBuffer? {
        state.withLock { latest in
            guard var l = latest else { return nil }
            if let cached = l.json { return cached }
            let body = ByteBuffer(bytes: WireJSON.encode(l.report))
            l.json = body
            latest = l
            return body
        }
    }
}
