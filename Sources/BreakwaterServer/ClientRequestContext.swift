public import Hummingbird
public import NIOCore

/// The request context of every route: Hummingbird's basics plus the client's address, the key
/// for limiting failed authentications.
public struct ClientRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection, asked for its peer only when an address is needed (a token to count or
    /// a refusal to log), not on every request.
    private let channel: any Channel
    /// The connection's peer; nil when there is none (a test calling the router directly).
    public var remoteAddress: SocketAddress? { channel.remoteAddress }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The peer's IP address without its port ("unknown" without a peer): one key per client
    /// machine, however many connections it opens.
    var clientAddress: String { remoteAddress?.ipAddress ?? remoteAddress?.pathname ?? "unknown" }
}
