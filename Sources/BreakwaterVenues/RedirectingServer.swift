import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// For tests of what a poll publishes: a server on 127.0.0.1 standing for an internal one
/// behind a venue URL:
/// `/moved` answers 302 to `http://localhost:<port>/internal` (another host name),
/// `/internal` answers 200 with `secret` in a plain-text body, `/secret-error` answers 500 with
/// `secret` in a JSON error body beside a short `message`. Counts the requests per path.
public final class RedirectingServer: Sendable {
    public static let secret = "INTERNAL-TOKEN-7f3a9c"
    /// Requests per path, and the bound port (known once listening).
    final class Shared: Sendable {
        let hits = Mutex<[String: Int]>([:])
        let port = Mutex(0)
    }

    public let port: Int
    private let hits: Shared
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, hits: Shared, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.hits = hits
        self.group = group
        self.task = task
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests received on `path`.
    public func requests(_ path: String) -> Int { hits.hits.withLock { $0[path] ?? 0 } }

    public static func start() async throws -> RedirectingServer {
        let shared = Shared()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let router = Router()
        router.get("**") { request, _ -> Response in
            let path = request.uri.path
            shared.hits.withLock { $0[path, default: 0] += 1 }
            switch path {
            case "/moved":
                return Response(
                    status: .found,
                    headers: [.location: "http://localhost:\(shared.port.withLock { $0 })/internal?key=\(secret)"]
                )
            case "/internal":
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/plain"],
                    body: .init(byteBuffer: ByteBuffer(string: "db password: \(secret)\n"))
                )
            case "/secret-error":
                return Response(
                    status: .internalServerError,
                    headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"message":"upstream down","detail":"\#(secret)"}"#))
                )
            default:
                return Response(status: .notFound)
            }
        }
        var log = Logger(label: "redirecting-server")
        log.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: log
        )
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: log))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await p in ports where p > 0 {
            shared.port.withLock { $0 = p }
            return RedirectingServer(port: p, hits: shared, group: group, task: task)
        }
        throw VenueStartError(message: "the redirecting server did not start on 127.0.0.1")
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
