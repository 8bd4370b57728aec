import BreakwaterAlerts
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A webhook receiver on 127.0.0.1 that checks Standard Webhooks signatures and the 5-minute tolerance.
actor Receiver {
    enum Mode: Sendable {
        case ok
        case status(Int)
        case retryAfter(Int)
        case retryAfterDate(String)
        case redirect(to: String)
        case hang(seconds: Double)
        /// 200 with `Content-Length: total`, `sent` bytes of the body, then nothing until ``stop()`` (at most 60 s).
        case stallBody(sent: Int, total: Int)
    }

    struct Received: Sendable {
        var id: String?
        var timestamp: Int64?
        var body: [UInt8]
        var signatureValid: Bool
        var path: String
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        var data: [String: Any]? { json?["data"] as? [String: Any] }
    }

    let secret: String?
    var mode: Mode = .ok
    /// Requests answered 2xx, in arrival order.
    var accepted: [Received] = []
    /// Every request, in arrival order.
    var all: [Received] = []
    private var task: Task<Void, any Error>?
    private var group: ServiceGroup?
    private(set) var port = 0
    /// Set by ``stop()``: a stalled body ends.
    private var stopping = false

    init(secret: String?) { self.secret = secret }

    func setMode(_ m: Mode) { mode = m }

    /// Starts listening on `port` (0 = any free port) and returns the port.
    func start(port wanted: Int = 0) async throws -> Int {
        let router = Router()
        router.get("**") { request, _ -> Response in
            await self.handle(request, body: [])
        }
        router.post("**") { request, _ -> Response in
            let buf = try await request.body.collect(upTo: 1 << 20)
            return await self.handle(request, body: Array(buf.readableBytesView))
        }
        let (stream, cont) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: wanted)),
            onServerRunning: { channel in cont.yield(channel.localAddress?.port ?? 0) }
        )
        // A ServiceGroup so stop() shuts down gracefully (see SimulatedVenues.stop()).
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: app)], logger: Logger(label: "receiver"))
        )
        self.group = group
        task = Task { try await group.run() }
        for await p in stream {
            port = p
            break
        }
        return port
    }

    func stop() async {
        stopping = true
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        task = nil
    }

    func handle(_ request: Request, body: [UInt8]) async -> Response {
        let h = request.headers
        func header(_ name: String) -> String? { h.first { $0.name.canonicalName == name }?.value }
        let id = header("webhook-id")
        let ts = header("webhook-timestamp").flatMap { Int64($0) }
        var valid = false
        if let secret, let id, let ts, let sig = header("webhook-signature") {
            valid = StandardWebhook.verify(
                secret: secret,
                id: id,
                timestamp: ts,
                body: body,
                signatureHeader: sig,
                now: Int64(Date().timeIntervalSince1970)
            )
        }
        let r = Received(id: id, timestamp: ts, body: body, signatureValid: valid, path: request.uri.path)
        all.append(r)
        switch mode {
        case .ok:
            if secret != nil && !valid { return Response(status: .unauthorized) }
            accepted.append(r)
            return Response(status: .noContent)
        case .status(let code):
            return Response(status: .init(code: code))
        case .retryAfter(let seconds):
            return Response(status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
        case .retryAfterDate(let date):
            return Response(status: .tooManyRequests, headers: [.retryAfter: date])
        case .redirect(let location):
            return Response(status: .found, headers: [.location: location])
        case .stallBody(let sent, let total):
            accepted.append(r)
            return Response(
                status: .ok,
                headers: [.contentLength: String(total)],
                body: ResponseBody(contentLength: total) { writer in
                    try await writer.write(ByteBuffer(repeating: UInt8(ascii: "x"), count: sent))
                    let until = Date().addingTimeInterval(60)
                    while await !self.stopping, Date() < until { try await Task.sleep(nanoseconds: 20_000_000) }
                }
            )
        case .hang(let seconds):
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            accepted.append(r)
            return Response(status: .ok)
        }
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
func eventually(_ seconds: Double = 5, _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return try await condition()
}
