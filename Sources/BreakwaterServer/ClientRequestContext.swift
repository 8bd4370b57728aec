public import Hummingbird
public import NIOCore

/// The request context of every route: Hummingbird's basics plus the client's address, the key
/// for limiting failed authentications.
public struct ClientRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection's peer; nil when there is none (a test calling the router directly).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address without its port ("unknown" without a peer): one key per client
    /// machine, however many connections it opens.
    var clientAddress: String { remoteAddress?.ipAddress ?? remoteAddress?.pathname ?? "unknown" }
}
