import BreakwaterEngine
import BreakwaterWire
import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Standard Webhooks (standardwebhooks.com): body `{"type","timestamp","data"}` fixed at enqueue (its `timestamp`
/// is the event time); `webhook-id`, `webhook-timestamp` and `webhook-signature` are made at send time.
public enum StandardWebhook {
    struct Body: Encodable {
        var type: String
        var timestamp: String
        var data: AlertPayload
    }

    static func render(_ n: Notice) -> [UInt8] {
        WireJSON.encode(Body(type: n.alert.type, timestamp: RFC3339.format(n.time), data: AlertPayload(n)))
    }

    /// Errors in a `whsec_...` secret.
    public struct SecretError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Decodes a `whsec_<base64>` secret into the HMAC key bytes.
    public static func key(fromSecret secret: String) throws -> [UInt8] {
        let b64 = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let data = Data(base64Encoded: b64), !data.isEmpty else {
            throw SecretError(description: "webhook secret is not whsec_ followed by base64")
        }
        return Array(data)
    }

    /// `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`; `timestamp` is unix seconds.
    public static func signature(secret: String, id: String, timestamp: Int64, body: [UInt8]) throws -> String {
        let key = SymmetricKey(data: try key(fromSecret: secret))
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return "v1," + Data(mac.finalize()).base64EncodedString()
    }

    /// Checks a `webhook-signature` header (space-separated `v1,...` entries) and the timestamp tolerance
    /// (`toleranceSeconds`, default 5 minutes) against `now` (unix seconds). For receivers and tests.
    public static func verify(
        secret: String,
        id: String,
        timestamp: Int64,
        body: [UInt8],
        signatureHeader: String,
        now: Int64,
        toleranceSeconds: Int64 = 300
    ) -> Bool {
        guard abs(now - timestamp) <= toleranceSeconds,
            let expected = try? signature(secret: secret, id: id, timestamp: timestamp, body: body)
        else { return false }
        return signatureHeader.split(separator: " ").contains { $0 == expected }
    }

    /// Headers for one attempt, signed at `now` (unix seconds).
    static func headers(id: String, body: [UInt8], secret: String, now: Int64) throws -> [(String, String)] {
        [
            ("webhook-id", id), ("webhook-timestamp", String(now)),
            ("webhook-signature", try signature(secret: secret, id: id, timestamp: now, body: body)),
        ]
    }
}
