import BreakwaterConfig
import BreakwaterEngine
import BreakwaterWire
import Foundation

/// Turns a non-2xx HTTP answer into a `FeedError`. Pure.
enum StatusErrors {
    /// - Parameters:
    ///   - retryAfter: the `Retry-After` header, if any (seconds or HTTP date).
    ///   - now: local clock, epoch seconds, to resolve an HTTP-date `Retry-After`.
    static func error(status: Int, kind: SourceKind, retryAfter: String?, body: [UInt8], now: EpochSeconds) -> FeedError
    {
        let venue = venueName(kind)
        let html = body.first(where: { !JSONReading.isSpace($0) }) == UInt8(ascii: "<")
        // Only what identifies the failure: the page title, or the venue's own error fields;
        // never the raw body (the server may not be the venue's, see `redirect`).
        let detail =
            html
            ? " with an HTML error page\(JSONReading.htmlTitle(body).map { " (\"\($0)\")" } ?? "")"
            : JSONReading.errorFields(body).map { ": \($0)" } ?? ""
        // Honoured whatever the status (429, 503, Binance's 418 ban), up to `Backoff.maxRetryAfterSeconds`.
        let asked = retryAfter.flatMap { RetryAfter.seconds($0, now: now) }
        let wait = asked.map { min($0, Backoff.maxRetryAfterSeconds) }
        let waitText = asked.map { a in
            "; Retry-After \(formatWait(a))"
                + (a > Backoff.maxRetryAfterSeconds
                    ? " (waiting \(formatWait(Backoff.maxRetryAfterSeconds)), the longest honoured)" : "")
        }
        switch status {
        case 429:
            return FeedError(
                .rateLimited,
                "\(venue) rate limited (HTTP 429)\(waitText ?? "; no Retry-After")",
                status: status,
                retryAfterSeconds: wait
            )
        case 418 where kind == .binance:
            return FeedError(
                .rateLimited,
                "Binance banned this address for exceeding its rate limits (HTTP 418)\(waitText ?? "")",
                status: status,
                retryAfterSeconds: wait
            )
        case 451:
            return FeedError(
                .geoBlocked,
                "\(venue) refuses requests from this region (HTTP 451 Unavailable For Legal Reasons, a geo-block)"
                    + (kind == .binance
                        ? "; Binance blocks some regions: use another venue or a mirror via baseURL" : ""),
                status: status
            )
        case 403 where kind == .bybit:
            return FeedError(
                .geoBlocked,
                "Bybit answered HTTP 403 Forbidden: Bybit geo-blocks some regions (use another venue or a mirror via baseURL)",
                status: status
            )
        default:
            return FeedError(
                .httpStatus,
                "\(venue) answered HTTP \(status)\(detail)\(waitText ?? "")",
                status: status,
                retryAfterSeconds: wait
            )
        }
    }

    /// A 3xx answer, which is not followed: names the target's host only (the path and query
    /// may carry tokens). `location` is the `Location` header, resolved against `requestURL`.
    static func redirect(status: Int, location: String?, requestURL: String, kind: SourceKind) -> FeedError {
        let target = location.flatMap { URL(string: $0, relativeTo: URL(string: requestURL)) }
        let host = target?.host.map { String($0.prefix(maxHostLength)) }
        let to = host.map { "to \($0)" } ?? "without a usable Location"
        return FeedError(
            .httpStatus,
            "\(venueName(kind)): redirect (HTTP \(status)) \(to): not followed; set the source's URL to the address that answers",
            status: status
        )
    }

    /// Longest host name named in a message (DNS allows 253 characters).
    static let maxHostLength = 253

    static func formatWait(_ s: Double) -> String {
        guard s.isFinite, abs(s) < 1e12 else { return "\(s) s" }
        return s == s.rounded() ? "\(Int(s)) s" : "\((s * 10).rounded() / 10) s"
    }

    /// Display name of a venue kind for messages.
    static func venueName(_ kind: SourceKind) -> String {
        switch kind {
        case .coinbase: "Coinbase"
        case .coinbaseExchange: "Coinbase Exchange"
        case .kraken: "Kraken"
        case .binance: "Binance"
        case .bitstamp: "Bitstamp"
        case .okx: "OKX"
        case .bybit: "Bybit"
        case .pyth: "Pyth"
        case .chainlink: "Chainlink RPC"
        case .json: "JSON source"
        case .push: "push"
        }
    }
}
