import AsyncHTTPClient
import BreakwaterConfig
import BreakwaterTestSupport
import BreakwaterVenues
import Foundation
import Testing

@testable import BreakwaterFeeds

/// What a poll reports when the server behind a source's URL is not the venue: redirects are
/// not followed, and no raw body text reaches the error (published on `GET /v1/markets`).
@Suite("Redirects and body text in poll errors")
struct HTTPFetcherTests {
    func jsonSource(_ url: String) -> FeedSource {
        var s = FeedSource(market: "BTC-USD", id: "internal", kind: .json, symbol: nil, timeoutSeconds: 5, baseURL: nil)
        s.url = url
        s.pricePointer = "/price"
        return s
    }

    /// Polls `source` once on `client` with a recording logger; its one outcome and the log.
    func poll(
        _ source: FeedSource,
        client: HTTPClient
    ) async throws -> (RecordingSink.Event, [RecordingLogHandler.Entry]) {
        let (logger, log) = RecordingLogHandler.logger()
        let sink = RecordingSink()
        let sup = FeedSupervisor(
            sources: [source],
            sink: sink,
            httpClient: client,
            userAgent: userAgent,
            logger: logger
        )
        let outcome = await sup.poll(sup.units[0])
        sup.logTransitions(sup.units[0], from: [nil], to: outcome.memberErrors)
        return (try #require(await sink.events.first), log.all)
    }

    func withServer(_ body: (RedirectingServer) async throws -> Void) async throws {
        let server = try await RedirectingServer.start()
        do { try await body(server) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The polling client answers the 302 itself: an error naming the target host, and the
    /// target (which may be an internal server) is never asked.
    @Test func aRedirectIsAnErrorNamingTheHostOnly() async throws {
        try await withServer { server in
            let (e, log) = try await poll(jsonSource(server.baseURL + "/moved"), client: FeedSupervisor.pollingClient)
            let error = try #require(e.error)
            #expect(e.quote == nil)
            #expect(error.kind == .httpStatus && error.status == 302)
            #expect(
                error.message
                    == "JSON source: redirect (HTTP 302) to localhost: not followed; set the source's URL to the address that answers"
            )
            #expect(server.requests("/internal") == 0)
            #expect(
                !log.isEmpty && log.allSatisfy { !"\($0.message) \($0.metadata)".contains(RedirectingServer.secret) }
            )
        }
    }

    /// A client that follows redirects all the same (`HTTPClient.shared`): the redirect is still
    /// the error, and nothing of the target's answer is in it.
    @Test func aFollowedRedirectIsReportedAsTheRedirect() async throws {
        try await withServer { server in
            let (e, log) = try await poll(jsonSource(server.baseURL + "/moved"), client: .shared)
            let error = try #require(e.error)
            #expect(
                error.message.hasPrefix("JSON source: redirect (HTTP 302) to localhost: not followed"),
                "\(error.message)"
            )
            #expect(!error.message.contains(RedirectingServer.secret))
            #expect(log.allSatisfy { !"\($0.message) \($0.metadata)".contains(RedirectingServer.secret) })
        }
    }

    /// A 200 that is not JSON, and a 500 whose JSON holds more than its message: the error says
    /// what failed, never the body's other text.
    @Test func bodyTextIsNotQuoted() async throws {
        try await withServer { server in
            let (plain, _) = try await poll(
                jsonSource(server.baseURL + "/internal"),
                client: FeedSupervisor.pollingClient
            )
            #expect(plain.error?.message == "JSON source: body of 35 bytes is not JSON")
            let (failed, _) = try await poll(
                jsonSource(server.baseURL + "/secret-error"),
                client: FeedSupervisor.pollingClient
            )
            #expect(failed.error?.message == "JSON source answered HTTP 500: upstream down")
        }
    }

    /// The venue's own error fields, capped; anything else in the body is left out.
    @Test func errorFieldsKeepOnlyCodeAndMessage() {
        func fields(_ s: String) -> String? { JSONReading.errorFields(Array(s.utf8)) }
        #expect(fields(#"{"code":-1121,"msg":"Invalid symbol."}"#) == "code -1121: Invalid symbol.")
        #expect(fields(#"{"retCode":10001,"retMsg":"params error","result":{}}"#) == "code 10001: params error")
        #expect(fields(#"{"errors":[{"id":"not_found","message":"Not found"}]}"#) == "Not found")
        #expect(fields(#"{"error":["EQuery:Unknown asset pair"],"result":{}}"#) == "EQuery:Unknown asset pair")
        #expect(
            fields(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}"#)
                == "Method not found"
        )
        #expect(fields(#"{"detail":"secret","token":"abc"}"#) == nil)
        #expect(fields("plain text with a secret") == nil)
        #expect(fields(#"["message"]"#) == nil)
        let long = String(repeating: "m", count: 500)
        #expect(
            fields(#"{"message":"\#(long)"}"#) == String(repeating: "m", count: JSONReading.maxVenueTextLength) + "…"
        )
        // Control characters are escaped where the message is made.
        let e = StatusErrors.error(
            status: 503,
            kind: .okx,
            retryAfter: nil,
            body: Array(#"{"msg":"down\u001b[2J\nFAKE"}"#.utf8),
            now: 0
        )
        #expect(e.message == #"OKX answered HTTP 503: down\u{1b}[2J\u{a}FAKE"#)
    }

    /// The Location is resolved against the request; only its host is named.
    @Test func redirectTargetsAreNamedByHost() {
        func message(_ location: String?) -> String {
            StatusErrors.redirect(
                status: 301,
                location: location,
                requestURL: "https://api.example.com/v1/price?x=1",
                kind: .coinbase
            ).message
        }
        #expect(
            message("http://other.example:8080/path?token=s3cr3t")
                == "Coinbase: redirect (HTTP 301) to other.example: not followed; set the source's URL to the address that answers"
        )
        #expect(message("/elsewhere?token=s3cr3t").contains("to api.example.com: not followed"))
        #expect(message(nil).contains("redirect (HTTP 301) without a usable Location: not followed"))
    }
}
