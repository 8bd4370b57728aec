import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BreakwaterServer

/// Error bodies quote at most 200 characters of what the caller sent.
struct APIErrorTests {
    @Test func echoCutsAndEscapesCallerInput() {
        #expect(APIError.echo("BTC-USD") == "BTC-USD")
        let long = String(repeating: "x", count: 70_000)
        #expect(APIError.echo(long) == String(repeating: "x", count: 200) + "…")
        #expect(APIError.echo("a\nb\u{200B}") == "a\\u{a}b\\u{200b}")
    }

    /// Every place that quotes caller input, fed 70,000 characters of it: each answer is small.
    @Test func longInputComesBackCut() async throws {
        let server = try await RouteTests().makeServer(adminRate: "1000")
        let long = String(repeating: "x", count: 70_000)
        try await Application(router: server.router()).test(.router) { client in
            let admin: HTTPFields = [.contentType: "application/json", .authorization: "Bearer admin-token-for-tests"]
            let push: HTTPFields = [.contentType: "application/json", .authorization: "Bearer token-of-source-a"]
            let cases: [(String, HTTPRequest.Method, HTTPFields, String?, HTTPResponse.Status)] = [
                ("/v1/markets/\(long)", .get, [:], nil, .notFound),
                ("/v1/markets/\(long)/history", .get, [:], nil, .notFound),
                ("/v1/markets/\(long)/halt", .post, admin, #"{"reason":"x"}"#, .notFound),
                ("/v1/markets/BTC-USD/sources/\(long)/disable", .post, admin, nil, .notFound),
                ("/v1/alerts/\(long)", .get, [:], nil, .notFound),
                ("/\(long)", .get, [:], nil, .notFound),
                ("/v1/markets/\(long)", .delete, [:], nil, .methodNotAllowed),
                ("/v1/markets/BTC-USD/halt", .post, admin, "{\"\(long)\":1}", .badRequest),
                ("/v1/markets/BTC-USD/halt", .post, admin, "{\"\(long)\":tru}", .badRequest),
                (
                    "/v1/prices", .post, [.contentType: "text/\(long)", .authorization: "Bearer token-of-source-a"],
                    "{}", .unsupportedMediaType
                ),
                (
                    "/v1/prices", .post, push,
                    "{\"source\":\"a\",\"prices\":[{\"market\":\"\(long)\",\"price\":1,\"timestamp\":1}]}", .accepted
                ),
                (
                    "/v1/prices", .post, push,
                    "{\"source\":\"a\",\"prices\":[{\"market\":\"BTC-USD\",\"price\":1,\"timestamp\":\"\(long)\"}]}",
                    .accepted
                ),
                ("/v1/prices", .post, push, "{\"source\":\"a\",\"prices\":[{\"\(long)\":1}]}", .accepted),
            ]
            for (uri, method, headers, body, status) in cases {
                try await client.execute(
                    uri: uri,
                    method: method,
                    headers: headers,
                    body: body.map { ByteBuffer(string: $0) }
                ) { r in
                    #expect(r.status == status, "\(method) \(uri.prefix(40)): \(String(buffer: r.body).prefix(200))")
                    #expect(
                        r.body.readableBytes < 1_000,
                        "\(method) \(uri.prefix(40)) \(body?.prefix(40) ?? ""): \(r.body.readableBytes) bytes"
                    )
                    #expect(
                        String(buffer: r.body).contains(String(repeating: "x", count: 40)),
                        "the input is still quoted, cut"
                    )
                }
            }
        }
    }
}
