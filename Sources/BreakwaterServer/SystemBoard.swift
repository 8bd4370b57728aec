public import BreakwaterSystemic
import BreakwaterWire
import NIOCore
import Synchronization

/// The cross-market view as the routes, the status page and /metrics read it: the last update
/// the sampler published (never computed on a read), its body encoded on the first read after it.
public final class SystemBoard: Sendable {
    private struct State {
        var view: SystemView?
        var body: ByteBuffer?
    }
    private let state = Mutex(State())
    /// Every configured market, in configuration order.
    public let markets: [String]
    public let parameters: SystemicParameters

    public init(markets: [String], parameters: SystemicParameters) {
        self.markets = markets
        self.parameters = parameters
    }

    /// The last update; nil before the first sample.
    public var view: SystemView? { state.withLock { $0.view } }

    func publish(_ view: SystemView) {
        state.withLock {
            $0.view = view
            $0.body = nil
        }
    }

    /// `GET /v1/system`, encoded once per update.
    func json() -> ByteBuffer {
        let (view, cached) = state.withLock { ($0.view, $0.body) }
        if let cached { return cached }
        let body = ByteBuffer(
            bytes: WireJSON.encode(SystemDocument(view: view, allMarkets: markets, parameters: parameters))
        )
        state.withLock { if $0.view?.updates == view?.updates { $0.body = body } }
        return body
    }
}
