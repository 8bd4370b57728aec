import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Bounds the time a request may take to arrive from its head to its end (the body), so a
/// client trickling a byte at a time cannot hold a connection and a route open. The idle
/// timeout covers the time before a request's head and between requests; this covers the rest.
///
/// When `timeout` runs out with the body incomplete, the request fails with a 408
/// `request_timeout`: the route reading the body answers it (with `Connection: close`) and the
/// connection is closed as that answer's end is written. A route that already answered (a 401
/// before reading the body) has its connection closed at once, and any connection still open
/// `grace` after the deadline is closed. One handler per connection.
final class RequestBodyDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long a request may take from head to end.
    let timeout: TimeAmount
    /// Paths whose bodies are large (a positions snapshot of up to 64 MiB) and get longer.
    let longerFor: [String: TimeAmount]
    /// The limit of the request in progress (`timeout`, or its path's in `longerFor`).
    private var current: TimeAmount
    /// How long after the deadline the connection is closed if no answer has ended it.
    let grace: TimeAmount
    private var deadline: Scheduled<Void>?
    private var lastChance: Scheduled<Void>?
    private var expired = false
    /// When the head of the request whose end has not arrived yet came in, nil between requests.
    private var headArrived: NIODeadline?

    init(timeout: TimeAmount, longerFor: [String: TimeAmount] = [:], grace: TimeAmount = .seconds(2)) {
        self.timeout = timeout
        self.longerFor = longerFor
        self.current = timeout
        self.grace = grace
    }

    /// The error a request whose body did not arrive in time fails with.
    static func error(timeout: TimeAmount) -> APIError {
        let ms = timeout.nanoseconds / 1_000_000
        let shown = ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
        return APIError(
            .requestTimeout,
            "request_timeout",
            "the request body did not arrive within \(shown) of its headers; the connection is closed"
        )
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(request):
            deadline?.cancel()
            deadline = nil
            headArrived = .now()
            let path = request.path.map { $0.split(separator: "?", maxSplits: 1).first.map(String.init) ?? $0 }
            current = path.flatMap { longerFor[$0] } ?? timeout
        case .end:
            deadline?.cancel()
            deadline = nil
            headArrived = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    /// The timer starts only when a read ends with a body still to come (a request whose head
    /// and end came in one read, as most do, schedules nothing), counted from its head.
    func channelReadComplete(context: ChannelHandlerContext) {
        if let headArrived, deadline == nil, !expired {
            deadline = context.eventLoop.assumeIsolated().scheduleTask(deadline: headArrived + current) { [self] in
                expire(context)
            }
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard expired else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case var .head(response):
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        lastChance?.cancel()
    }

    private func expire(_ context: ChannelHandlerContext) {
        deadline = nil
        expired = true
        // The route waiting for the body gets the error (and answers 408); Hummingbird, reading
        // past a request that was already answered, gets it too and closes the connection.
        context.fireErrorCaught(Self.error(timeout: current))
        lastChance = context.eventLoop.assumeIsolated().scheduleTask(in: grace) { context.close(promise: nil) }
    }
}
