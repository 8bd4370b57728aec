import BreakwaterServer
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
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
            try await client.execute(uri: "/v1/markets/BTC-USD/halt", method: .post,
                                     headers: [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"],
                                     body: ByteBuffer(string: "{\"reason\":\"drill\"}")) { r in
                #expect(r.status == .serviceUnavailable)
                let body = String(buffer: r.body)
                #expect(body.contains("storage_unavailable") && body.contains("not saved"), "\(body)")
            }
            // Applied in memory all the same: keepers see the halt.
            try await client.execute(uri: "/v1/markets/BTC-USD", method: .get) { r in
                #expect(String(buffer: r.body).contains("\"manual\""))
            }
            let t = BreakwaterServer.now()
            try await client.execute(uri: "/v1/prices", method: .post,
                                     headers: [.authorization: "Bearer token-of-source-a", .contentType: "application/json"],
                                     body: ByteBuffer(string: "{\"source\":\"a\",\"prices\":[{\"market\":\"BTC-USD\",\"price\":100,\"timestamp\":\(t)}]}")) { r in
                #expect(r.status == .serviceUnavailable)
            }
        }
    }
}
