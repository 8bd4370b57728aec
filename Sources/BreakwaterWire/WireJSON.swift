#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one way JSON is written: every document shape is an `Encodable` type, encoded with the
/// settings fixed here.
///
/// - Keys are sorted (the bytes of a document depend on its content only: webhook bodies are
///   signed and stored, API bodies are cached and compared).
/// - `/` is not escaped; other escapes are JSONEncoder's (`\"`, `\\`, `\n`, `\u0001`...).
/// - Numbers are written as Swift prints a `Double`, without a trailing `.0`: `0.1`, `1e-07`,
///   `123456789.123`, `100000`. A number that is not finite is written `null` by
///   `encodeNumber` (document types use it); a raw non-finite `Double` is refused by the encoder.
/// - Times are RFC 3339 UTC strings with milliseconds (`encodeTime`, `RFC3339.format`).
public enum WireJSON {
    /// `value` as UTF-8 JSON. Document types write non-finite numbers as null, so encoding them
    /// does not fail; a value that still holds a raw non-finite `Double` is written `null`.
    public static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? e.encode(value)) ?? Data("null".utf8))
    }

    /// `value` as a JSON text.
    public static func string<T: Encodable>(_ value: T) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }
}

extension KeyedEncodingContainer {
    /// A number, or null when it is nil or not finite (the key is always written).
    public mutating func encodeNumber(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// Epoch seconds as an RFC 3339 UTC string, or null when nil or not finite (the key is
    /// always written).
    public mutating func encodeTime(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite {
            try encode(RFC3339.format(value), forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }

    /// A string, or null when nil (the key is always written).
    public mutating func encodeNullable(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
