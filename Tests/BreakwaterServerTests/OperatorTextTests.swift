import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BreakwaterServer

/// Halt reasons and actor names: one line, bounded in UTF-8 bytes, no character that breaks or
/// hides part of a log line.
struct OperatorTextTests {
    /// Text refused as a halt reason (and as an actor name), with why.
    static let refused: [(String, String)] = [
        ("a" + String(repeating: "\u{301}", count: 400_000), "800001 bytes (UTF-8) is more than the 500 allowed"),
        (String(repeating: "\u{E9}", count: 251), "502 bytes (UTF-8) is more than the 500 allowed"),
        ("line one\u{2028}line two", "character U+2028 is not allowed"),
        ("para\u{2029}graph", "character U+2029 is not allowed"),
        ("zero\u{200B}width", "character U+200B is not allowed"),
        ("bom\u{FEFF}", "character U+FEFF is not allowed"),
        ("joiner\u{2060}", "character U+2060 is not allowed"),
        ("mark\u{200F}", "character U+200F is not allowed"),
        ("arabic mark\u{061C}", "character U+061C is not allowed"),
        ("over\u{202E}ride", "character U+202E is not allowed"),
        ("isolate\u{2067}", "character U+2067 is not allowed"),
        ("x\n2026-12-03 info breakwater: audit=true", "character U+000A is not allowed"),
        ("", "expected a non-empty string"),
    ]

    @Test func refusesLongInvisibleAndLineBreakingText() {
        for (text, why) in Self.refused {
            #expect(throws: APIError.self) { try OperatorText.check(text, field: "reason", maxBytes: 500) }
            do {
                try OperatorText.check(text, field: "reason", maxBytes: 500)
            } catch let e as APIError {
                #expect(e.status == .badRequest)
                #expect(e.message.hasPrefix("reason: \(why)"), "\(e.message)")
            } catch {
                Issue.record("\(error)")
            }
        }
        // The limit is in bytes: 250 two-byte characters fit, as do other scripts and emoji.
        for text in [
            String(repeating: "\u{E9}", count: 250), "Börsenaufsicht: 取引停止 🚨", String(repeating: "r", count: 500),
        ] {
            #expect(throws: Never.self) { try OperatorText.check(text, field: "reason", maxBytes: 500) }
        }
    }

    /// Over HTTP: the 800 KB reason is refused and the markets list stays its usual size; the
    /// actor header follows the same rules.
    @Test func haltRefusesThemAndTheMarketsStaySmall() async throws {
        let server = try await RouteTests().makeServer(adminRate: "1000")
        try await Application(router: server.router()).test(.router) { client in
            let admin: HTTPFields = [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"]
            for (text, why) in Self.refused where !text.isEmpty {
                let body = "{\"reason\":\(String(decoding: try JSONEncoder().encode(text), as: UTF8.self))}"
                try await client.execute(
                    uri: "/v1/markets/BTC-USD/halt",
                    method: .post,
                    headers: admin,
                    body: ByteBuffer(string: body)
                ) { r in
                    #expect(r.status == .badRequest)
                    #expect(String(buffer: r.body).contains(why), "\(String(buffer: r.body).prefix(300))")
                }
            }
            let size = try await client.execute(uri: "/v1/markets", method: .get) { $0.body.readableBytes }
            #expect(size < 10_000)
            for actor in ["alice\u{2028}bob", "alice\u{200B}", String(repeating: "\u{E9}", count: 51), "\u{FEFF}alice"]
            {
                var h = admin
                h[HTTPField.Name("X-Breakwater-Actor")!] = actor
                try await client.execute(
                    uri: "/v1/markets/BTC-USD/halt",
                    method: .post,
                    headers: h,
                    body: ByteBuffer(string: #"{"reason":"x"}"#)
                ) { r in
                    #expect(r.status == .badRequest, "\(actor.unicodeScalars.map { String($0.value, radix: 16) })")
                    #expect(String(buffer: r.body).contains("X-Breakwater-Actor: "))
                }
            }
            var h = admin
            h[HTTPField.Name("X-Breakwater-Actor")!] = "alice action=resume market=ETH-USD"
            try await client.execute(
                uri: "/v1/markets/BTC-USD/halt",
                method: .post,
                headers: h,
                body: ByteBuffer(string: #"{"reason":"drill"}"#)
            ) { r in
                #expect(r.status == .ok)
            }
        }
    }
}
