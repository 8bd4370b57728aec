import BreakwaterConfig
import BreakwaterStore
import BreakwaterWire

/// `GET /v1/destinations`: every configured alert destination with its delivery state, in
/// configuration order. `failing` is true when its latest attempt did not deliver; the counts
/// are the deliveries still stored (pending, delivered, given up on), times RFC 3339 UTC.
struct DestinationsDocument: Encodable {
    let webhooks: [WebhookConfig]
    let counts: [String: [DeliveryStatus: Int]]
    let last: [String: LastAttempt]

    enum Key: String, CodingKey {
        case destinations, id, format, failing, pending, delivered, failed, lastAttemptAt, lastStatusCode, lastError
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        var list = c.nestedUnkeyedContainer(forKey: .destinations)
        for hook in webhooks {
            let n = counts[hook.id] ?? [:]
            let a = last[hook.id]
            var item = list.nestedContainer(keyedBy: Key.self)
            try item.encode(hook.id, forKey: .id)
            try item.encode(hook.format.rawValue, forKey: .format)
            try item.encode(a.map { !$0.succeeded } ?? false, forKey: .failing)
            try item.encode(n[.pending] ?? 0, forKey: .pending)
            try item.encode(n[.delivered] ?? 0, forKey: .delivered)
            try item.encode(n[.failed] ?? 0, forKey: .failed)
            try item.encodeTime(a?.time, forKey: .lastAttemptAt)
            if let code = a?.statusCode {
                try item.encode(code, forKey: .lastStatusCode)
            } else {
                try item.encodeNil(forKey: .lastStatusCode)
            }
            try item.encodeNullable(a?.error, forKey: .lastError)
        }
    }
}
