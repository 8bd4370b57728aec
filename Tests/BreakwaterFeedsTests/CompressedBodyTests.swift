import BreakwaterConfig
import BreakwaterTestSupport
import Foundation
import Hummingbird
import NIOCore
import Testing

@testable import BreakwaterFeeds

/// A venue answering with gzip: a normal body is read, a body that inflates past the
/// client's limit (a "gzip bomb") is a malformed answer that says so.
@Suite("Compressed venue bodies")
struct CompressedBodyTests {
    /// `text` gzipped by Python's gzip module (the tests already use python3), awaited without
    /// blocking a thread (see ChildProcess).
    static func gzip(_ text: String) async throws -> [UInt8] {
        let child = try ChildProcess.python(
            "import gzip,sys; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read()))",
            input: .text(text)
        )
        let status = await child.exited()
        try #require(status == 0, "python3 gzip: exit \(status): \(child.errors)")
        return Array(child.outputData)
    }

    /// Serves `body` gzip-encoded at every path while `body` runs; passes the base URL.
    static func withGzipVenue(_ gzipped: [UInt8], _ body: (String) async throws -> Void) async throws {
        let router = Router()
        router.get("**") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "application/json", .contentEncoding: "gzip"],
                body: .init(byteBuffer: ByteBuffer(bytes: gzipped))
            )
        }
        let (ports, cont) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { cont.yield($0.localAddress?.port ?? 0) }
        )
        let task = Task { try await app.runService() }
        var port = 0
        for await p in ports {
            port = p
            break
        }
        do { try await body("http://127.0.0.1:\(port)") } catch {
            task.cancel()
            throw error
        }
        task.cancel()
        _ = await task.result
    }

    func coinbase(_ base: String) -> FeedSource {
        FeedSource(market: "BTC-USD", id: "cb", kind: .coinbase, symbol: "BTC-USD", timeoutSeconds: 5, baseURL: base)
    }

    @Test func aGzippedAnswerIsRead() async throws {
        let answer = try await Self.gzip(#"{"data":{"amount":"64000.5","base":"BTC","currency":"USD"}}"#)
        try await Self.withGzipVenue(answer) { base in
            let e = try #require(await pollOnce(coinbase(base)))
            #expect(e.quote?.price == 64000.5, "\(String(describing: e.error))")
        }
    }

    @Test func aGzipBombIsRefusedAndNamed() async throws {
        // 20 MB of spaces inside a valid JSON answer: about 20 KB gzipped, far past the client's
        // inflation ratio.
        let bomb = try await Self.gzip(
            #"{"data":{"amount":"64000.5","base":"BTC","currency":"USD"}"# + String(repeating: " ", count: 20_000_000)
                + "}"
        )
        #expect(bomb.count < 100_000)
        try await Self.withGzipVenue(bomb) { base in
            let e = try #require(await pollOnce(coinbase(base)))
            #expect(e.quote == nil)
            #expect(e.error?.kind == .badBody)
            #expect(
                e.error?.message.contains("inflates beyond the decompression limit") == true,
                "\(String(describing: e.error))"
            )
        }
    }
}
