public import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// The cap on open client connections (`server.maxConnections`). Every accepted connection
/// gets its own `ConnectionCap.Handler`; a connection that would take the count past `max` is
/// closed as soon as it is active, before a byte of it is read, while the connections already
/// open keep being served. (Hummingbird's `availableConnectionsDelegate` instead stops
/// accepting, which leaves new clients waiting in the kernel's backlog with no answer.)
/// Invariant: `open` is the number of admitted connections not yet closed, at most `max`.
public final class ConnectionCap: Sendable {
    public let max: Int
    private let open = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)
    private let logger: Logger

    public init(max: Int, logger: Logger) {
        self.max = max
        self.logger = logger
    }

    /// Connections admitted and still open.
    public var openConnections: Int { open.load(ordering: .relaxed) }
    /// Connections closed on arrival because `max` were open, since the start.
    public var refusedConnections: Int { refused.load(ordering: .relaxed) }

    /// Counts a new connection in; false (and not counted) when `max` are already open.
    func admit() -> Bool {
        let (_, count) = open.wrappingAdd(1, ordering: .relaxed)
        if count <= max { return true }
        open.wrappingSubtract(1, ordering: .relaxed)
        let (_, total) = refused.wrappingAdd(1, ordering: .relaxed)
        // One line for the first refusal and then one per thousand: a flood must not flood the log.
        if total % 1000 == 1 {
            logger.warning(
                "connection refused: server.maxConnections are open",
                metadata: ["max": "\(max)", "refusedSinceStart": "\(total)"]
            )
        }
        return false
    }

    /// Counts a closed admitted connection out.
    func release() { open.wrappingSubtract(1, ordering: .relaxed) }

    /// Admits or closes one connection; counts it out when it closes.
    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart

        private let cap: ConnectionCap
        private var decided = false
        private var admitted = false

        init(cap: ConnectionCap) { self.cap = cap }

        func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { decide(context) }
        }

        func channelActive(context: ChannelHandlerContext) {
            decide(context)
            if admitted { context.fireChannelActive() }
        }

        func channelInactive(context: ChannelHandlerContext) {
            leave()
            context.fireChannelInactive()
        }

        func handlerRemoved(context: ChannelHandlerContext) { leave() }

        private func decide(_ context: ChannelHandlerContext) {
            guard !decided else { return }
            decided = true
            admitted = cap.admit()
            if !admitted { context.close(promise: nil) }
        }

        private func leave() {
            if admitted { cap.release() }
            admitted = false
        }
    }
}
