import BreakwaterConfig
import BreakwaterEngine
import HTTPTypes
import Hummingbird

/// Bearer tokens, read once from the environment variables the config names.
/// Comparison is constant-time in the token's length.
public struct TokenBook: Sendable {
    public let admin: String?
    public let read: String?
    /// Push source id -> token allowed to write it.
    public let push: [String: String]
    public let protectReads: Bool

    public init(config: BreakwaterConfig, environment: [String: String]) {
        func value(_ name: String?) -> String? { name.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
        admin = value(config.server.adminTokenEnv)
        read = value(config.server.readTokenEnv)
        var push: [String: String] = [:]
        for m in config.markets { for s in m.sources where s.kind == .push { if let t = value(s.tokenEnv) { push[s.id] = t } } }
        self.push = push
        protectReads = config.server.protectReads
    }

    static func bearer(_ request: Request) -> String? {
        guard let h = request.headers[.authorization] else { return nil }
        let prefix = "Bearer "
        guard h.count > prefix.count, h.lowercased().hasPrefix("bearer ") else { return nil }
        return String(h.dropFirst(prefix.count)).trimmingCharacters(in: " ")
    }

    /// Constant-time equality (time depends only on the lengths).
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }

    /// Requires the admin token; returns who acted (for the audit log).
    func requireAdmin(_ request: Request) throws -> String {
        guard let admin else { throw APIError(.forbidden, "admin_disabled", "no admin token is configured (set the variable named by server.adminTokenEnv)") }
        guard let token = Self.bearer(request) else { throw APIError(.unauthorized, "unauthorized", "missing bearer token") }
        guard Self.same(token, admin) else {
            if let read, Self.same(token, read) { throw APIError(.forbidden, "forbidden", "the read token cannot change state") }
            if push.values.contains(where: { Self.same($0, token) }) {
                throw APIError(.forbidden, "forbidden", "a push source's token may only push prices (operator actions need the admin token)")
            }
            throw APIError(.unauthorized, "unauthorized", "invalid bearer token")
        }
        guard let actor = request.headers[HTTPField.Name("X-Breakwater-Actor")!] else { return "admin" }
        // Logged with every action: a short name, nothing that could forge a log line.
        try OperatorText.check(actor, field: "X-Breakwater-Actor", maxBytes: OperatorText.maxActorBytes)
        return actor
    }

    /// Requires a read (or admin) token when reads are protected.
    func requireRead(_ request: Request) throws {
        guard protectReads else { return }
        guard let token = Self.bearer(request) else { throw APIError(.unauthorized, "unauthorized", "missing bearer token") }
        if let read, Self.same(token, read) { return }
        if let admin, Self.same(token, admin) { return }
        throw APIError(.unauthorized, "unauthorized", "invalid bearer token")
    }

    /// Requires the token of push source `source`.
    func requirePush(_ request: Request, source: String) throws {
        guard let token = Self.bearer(request) else { throw APIError(.unauthorized, "unauthorized", "missing bearer token") }
        guard let expected = push[source] else {
            if push.values.contains(where: { Self.same($0, token) }) {
                throw APIError(.forbidden, "forbidden", "this token may not write source \"\(source)\"")
            }
            throw APIError(.unauthorized, "unauthorized", "invalid bearer token (or source \"\(source)\" has no token configured)")
        }
        guard Self.same(token, expected) else {
            if push.values.contains(where: { Self.same($0, token) }) {
                throw APIError(.forbidden, "forbidden", "this token belongs to another source and may not write \"\(source)\"")
            }
            throw APIError(.unauthorized, "unauthorized", "invalid bearer token")
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
