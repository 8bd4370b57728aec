import BreakwaterServer
import BreakwaterStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Storage that cannot be opened at start-up: nothing is acknowledged as kept when it is not.
struct StorageFailureTests {
    @Test func aCorruptDatabaseMakesChangesAnswer503() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-corrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = dir.appendingPathComponent("state.sqlite")
        try Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: db)
        let server = try await RouteTests().makeServer(storagePath: db.path)
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(String(buffer: r.body).contains("storage"))
            }
            try await client.execute(
                uri: "/v1/markets/BTC-USD/halt",
                method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"],
                body: ByteBuffer(string: "{\"reason\":\"drill\"}")
            ) { r in
                #expect(r.status == .serviceUnavailable)
                let body = String(buffer: r.body)
                #expect(body.contains("storage_unavailable") && body.contains("not saved"), "\(body)")
            }
            // Applied in memory all the same: keepers see the halt.
            try await client.execute(uri: "/v1/markets/BTC-USD", method: .get) { r in
                #expect(String(buffer: r.body).contains("\"manual\""))
            }
            let t = BreakwaterServer.now()
            try await client.execute(
                uri: "/v1/prices",
                method: .post,
                headers: [.authorization: "Bearer token-of-source-a", .contentType: "application/json"],
                body: ByteBuffer(
                    string: "{\"source\":\"a\",\"prices\":[{\"market\":\"BTC-USD\",\"price\":100,\"timestamp\":\(t)}]}"
                )
            ) { r in
                #expect(r.status == .serviceUnavailable)
            }
        }
    }

    func tempStoragePath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("state.sqlite").path
    }

    static let halt = (uri: "/v1/markets/BTC-USD/halt", body: "{\"reason\":\"drill\"}")
    static let haltHeaders: HTTPFields = [
        .contentType: "application/json", .authorization: "Bearer admin-token-for-tests",
    ]

    /// Set once, read from any task.
    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    /// Another process holds the database's write lock (a `sqlite3` shell in a transaction):
    /// writes wait for it on their own thread, so probes and reads answer at once the whole
    /// time, and each write answers 503 `storage_busy` after the busy timeout from its request,
    /// queued ones included. (Storage writes on Swift's cooperative pool froze every endpoint.)
    @Test func aLockedDatabaseHoldsUpNoProbeOrRead() async throws {
        let path = try tempStoragePath()
        let server = try await RouteTests().makeServer(adminRate: "100", storagePath: path)
        let holder = try await SQLiteLockHolder.lock(path: path)
        let clock = ContinuousClock()
        try await Application(router: server.router()).test(.router) { client in
            // The engine's ticks store every market's state meanwhile, as in a running server
            // (with them, the writes held both threads of a 2-core pool: probes took 5 s).
            let ticking = Task {
                while !Task.isCancelled {
                    await server.monitor.tick(now: BreakwaterServer.now())
                    try? await Task.sleep(for: .milliseconds(250))
                }
            }
            defer { ticking.cancel() }
            let writesDone = Flag()
            // More writes at once than the machine has cores (the width of the cooperative pool).
            let writes = Task {
                try await withThrowingTaskGroup(of: (HTTPResponse.Status, String, Duration).self) { group in
                    for _ in 0..<max(4, 2 * ProcessInfo.processInfo.activeProcessorCount) {
                        group.addTask {
                            let start = clock.now
                            return try await client.execute(
                                uri: Self.halt.uri,
                                method: .post,
                                headers: Self.haltHeaders,
                                body: ByteBuffer(string: Self.halt.body)
                            ) {
                                ($0.status, String(buffer: $0.body), start.duration(to: clock.now))
                            }
                        }
                    }
                    var out: [(HTTPResponse.Status, String, Duration)] = []
                    for try await r in group { out.append(r) }
                    writesDone.set()
                    return out
                }
            }
            // Probes answered while every write still waits for the lock. No wall-clock bound here
            // (the whole suite shares two cores): a probe held behind the lock would only answer
            // once the writes had given up, and would not count.
            var probes = 0
            while !writesDone.isSet {
                for uri in ["/healthz", "/readyz", "/v1/markets/BTC-USD"] {
                    let status = try await client.execute(uri: uri, method: .get) { $0.status }
                    #expect(status == .ok || (uri == "/readyz" && status == .serviceUnavailable), "\(uri): \(status)")
                    if !writesDone.isSet { probes += 1 }
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(probes >= 9, "only \(probes) probes answered while the writes waited for the lock")
            let bound = Duration.seconds(RiskStateStore.busyTimeoutSeconds)
            for (status, body, took) in try await writes.value {
                #expect(status == .serviceUnavailable && body.contains("\"storage_busy\""), "\(status) \(body)")
                #expect(
                    took >= bound * 0.9 && took < bound + .seconds(1),
                    "a halt answered after \(took), bound \(bound)"
                )
            }
            try await client.execute(uri: "/readyz", method: .get) { r in
                #expect(
                    r.status == .serviceUnavailable && String(buffer: r.body).contains("busy"),
                    "\(String(buffer: r.body))"
                )
            }
            // The lock released, the next halt is saved at once, and /readyz no longer names storage.
            await holder.release()
            let start = clock.now
            try await client.execute(
                uri: Self.halt.uri,
                method: .post,
                headers: Self.haltHeaders,
                body: ByteBuffer(string: Self.halt.body)
            ) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body))")
            }
            #expect(start.duration(to: clock.now) < .milliseconds(500))
            // (Not listening in this in-process test, so it says "starting" rather than ready.)
            try await client.execute(uri: "/readyz", method: .get) { r in
                #expect(!String(buffer: r.body).contains("storage"), "\(String(buffer: r.body))")
            }
        }
    }

    /// The README: while storage fails, pushes answer 503 (their quotes applied all the same),
    /// also a push that raises no alert of its own (it answered 202 while /readyz said 503).
    @Test func aPushThatRaisesNoAlertIsNotAcknowledgedWhileStorageFails() async throws {
        let path = try tempStoragePath()
        let server = try await RouteTests().makeServer(storagePath: path)
        try await Application(router: server.router()).test(.router) { client in
            let t = BreakwaterServer.now()
            func push(_ s: String, at time: Double) async throws -> (HTTPResponse.Status, String) {
                try await RouteTests().push(
                    client,
                    source: s,
                    token: "token-of-source-\(s)",
                    body:
                        "{\"source\":\"\(s)\",\"prices\":[{\"market\":\"BTC-USD\",\"price\":100,\"timestamp\":\(time)}]}"
                )
            }
            for s in ["a", "b", "c"] { #expect(try await push(s, at: t).0 == .accepted) }
            // Same price again: no event, nothing of its own to store.
            #expect(try await push("a", at: t + 0.1).0 == .accepted)
            try FileManager.default.removeItem(atPath: path)
            await server.monitor.tick(now: BreakwaterServer.now())
            try await client.execute(uri: "/readyz", method: .get) { r in #expect(r.status == .serviceUnavailable) }
            let (status, body) = try await push("a", at: t + 0.2)
            #expect(status == .serviceUnavailable && body.contains("storage_unavailable"), "\(status) \(body)")
            // Applied all the same: the market has source a's quote of t + 0.2.
            try await client.execute(uri: "/v1/markets/BTC-USD", method: .get) { r in
                #expect(r.status == .ok)
            }
        }
    }

    /// No instance lock, no storage: a second instance could otherwise share the file.
    @Test func aLockFileThatCannotBeCreatedLeavesTheServiceWithoutStorage() async throws {
        let path = try tempStoragePath()
        try FileManager.default.createDirectory(atPath: path + ".lock", withIntermediateDirectories: false)
        let server = try await RouteTests().makeServer(storagePath: path)
        #expect(server.alerting == nil)
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(String(buffer: r.body).contains("cannot create the lock file"), "\(String(buffer: r.body))")
            }
            try await client.execute(
                uri: Self.halt.uri,
                method: .post,
                headers: Self.haltHeaders,
                body: ByteBuffer(string: Self.halt.body)
            ) { r in
                #expect(r.status == .serviceUnavailable && String(buffer: r.body).contains("storage_unavailable"))
            }
        }
    }
}
