#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A JSON document as `parse` reads it, before validation checks it.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Deepest nesting of arrays and objects `parse` accepts by default.
    public static let maxDepth = 512

    /// Parses JSON text strictly (see `JSONParser`); the `JSONSyntaxError` says where and why
    /// the text stops being JSON.
    /// - Parameter maxDepth: deepest nesting accepted (request bodies need far less than files).
    public static func parse(_ data: Data, maxDepth: Int = JSONValue.maxDepth) throws(JSONSyntaxError) -> JSONValue {
        let result = data.withUnsafeBytes { raw in
            Result { () throws(JSONSyntaxError) -> JSONValue in
                try JSONParser.parse(raw.bindMemory(to: UInt8.self), maxDepth: maxDepth)
            }
        }
        return try result.get()
    }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: Encodable {
    /// Writes the value back as JSON (keys sorted by `WireJSON`): a document read by `parse` and
    /// written again keeps every member, so stored JSON can be served inside a document.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .number(d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }
}
