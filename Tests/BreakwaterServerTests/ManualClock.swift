import BreakwaterEngine
import Synchronization

/// A clock a test moves by hand (epoch seconds), for a server built with `clock: { c.now }`.
final class ManualClock: Sendable {
    private let time: Mutex<EpochSeconds>

    init(_ start: EpochSeconds) { time = Mutex(start) }

    var now: EpochSeconds {
        get { time.withLock { $0 } }
        set { time.withLock { $0 = newValue } }
    }
}
