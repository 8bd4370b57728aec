public import BreakwaterConfig
public import BreakwaterEngine
import BreakwaterWire
import HTTPTypes
import Hummingbird

/// Bearer tokens, read once from the environment variables the config names (trimmed like every
/// secret, checked by `TokenVariables`), and the limit on failed authentications per client
/// address. Every check reads the headers only: a caller is refused before any body byte is read.
/// Comparison is constant-time in the token's length.
public struct TokenBook: Sendable {
    public let admin: String?
    public let read: String?
    /// The token that may post position snapshots (`server.positionsTokenEnv`).
    public let positions: String?
    /// Push source id -> its token. One id names one variable and one variable one id
    /// (`PushIdentityChecks`), and values differ (`TokenVariables`): a token is one feeder.
    public let push: [String: String]
    public let protectReads: Bool
    /// Failed authentications (401) per client address; once over it, every request from that
    /// address needing a token is refused with 429 until the bucket refills, whatever its token.
    let failures: RateLimiter
    let now: @Sendable () -> EpochSeconds

    /// Failed authentications a client address may make: a burst of 10, then 1 a second.
    static let failuresPerSecond = 1.0
    static let failureBurst = 10.0

    /// Throws the token problems (too short, one value in two variables, `protectReads` with no
    /// token that can read).
    public init(
        config: BreakwaterConfig,
        environment: [String: String],
        now: @escaping @Sendable () -> EpochSeconds = BreakwaterServer.now
    ) throws(ConfigError) {
        let problems =
            TokenVariables.problems(in: config, environment: environment)
            + TokenVariables.servingProblems(in: config, environment: environment)
        if !problems.isEmpty { throw ConfigError(issues: problems) }
        func value(_ name: String?) -> String? { EnvironmentSecret.value(name, in: environment) }
        admin = value(config.server.adminTokenEnv)
        read = value(config.server.readTokenEnv)
        positions = value(config.server.positionsTokenEnv)
        var push: [String: String] = [:]
        for m in config.markets {
            for s in m.sources where s.kind == .push { if let t = value(s.tokenEnv) { push[s.id] = t } }
        }
        self.push = push
        protectReads = config.server.protectReads
        failures = RateLimiter(
            ratePerSecond: Self.failuresPerSecond,
            burst: Self.failureBurst,
            counted: "failed authentications"
        )
        self.now = now
    }

    static func bearer(_ request: Request) -> String? {
        guard let h = request.headers[.authorization] else { return nil }
        let prefix = "Bearer "
        guard h.count > prefix.count, h.lowercased().hasPrefix("bearer ") else { return nil }
        return String(h.dropFirst(prefix.count)).trimmingCharacters(in: " ")
    }

    /// Constant-time equality (time depends only on the lengths).
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }

    /// The push source whose token `token` is; every token is compared (no early exit).
    func pushSource(of token: String) -> String? {
        var found: String?
        for (id, t) in push where Self.same(t, token) { found = id }
        return found
    }

    /// Runs `check` for `request` from `client`: 429 when the address is over its failures,
    /// and a 401 from `check` counts as one. A request with no bearer token guesses nothing:
    /// it is neither limited nor counted (its 401 costs no more than the 429 would).
    private func guarded<T>(_ request: Request, _ address: () -> String, _ check: () throws -> T) throws -> T {
        guard Self.bearer(request) != nil else { return try check() }
        let at = now()
        let client = address()
        try failures.check("client \(client)", now: at)
        do {
            return try check()
        } catch let e as APIError where e.status == .unauthorized {
            try? failures.take("client \(client)", now: at)
            throw e
        }
    }

    // Each check takes the client's address (`ClientRequestContext.clientAddress`), worked out
    // only when a token is there to count (not on every open read).

    /// Requires the admin token; returns who acted (for the audit log).
    func requireAdmin(_ request: Request, client: @autoclosure () -> String) throws -> String {
        try guarded(request, client) {
            guard let admin else {
                throw APIError(
                    .forbidden,
                    "admin_disabled",
                    "no admin token is configured (set the variable named by server.adminTokenEnv)"
                )
            }
            guard let token = Self.bearer(request) else {
                throw APIError(.unauthorized, "unauthorized", "missing bearer token")
            }
            guard Self.same(token, admin) else {
                if let read, Self.same(token, read) {
                    throw APIError(.forbidden, "forbidden", "the read token cannot change state")
                }
                if pushSource(of: token) != nil {
                    throw APIError(
                        .forbidden,
                        "forbidden",
                        "a push source's token may only push prices (operator actions need the admin token)"
                    )
                }
                throw APIError(.unauthorized, "unauthorized", "invalid bearer token")
            }
            guard let actor = request.headers[HTTPField.Name("X-Breakwater-Actor")!] else { return "admin" }
            // Logged with every action: a short name, nothing that could forge a log line.
            try OperatorText.check(actor, field: "X-Breakwater-Actor", maxBytes: OperatorText.maxActorBytes)
            return actor
        }
    }

    /// Requires a read (or admin) token when reads are protected.
    func requireRead(_ request: Request, client: @autoclosure () -> String) throws {
        guard protectReads else { return }
        try guarded(request, client) {
            guard let token = Self.bearer(request) else {
                throw APIError(.unauthorized, "unauthorized", "missing bearer token")
            }
            if let read, Self.same(token, read) { return }
            if let admin, Self.same(token, admin) { return }
            throw APIError(.unauthorized, "unauthorized", "invalid bearer token")
        }
    }

    /// Requires the positions token (`POST /v1/positions`): no other token may post a snapshot.
    func requirePositions(_ request: Request, client: @autoclosure () -> String) throws {
        try guarded(request, client) {
            // No credentials is 401 whether or not a positions token is configured.
            guard let token = Self.bearer(request) else {
                throw APIError(.unauthorized, "unauthorized", "missing bearer token")
            }
            guard let positions else {
                throw APIError(
                    .forbidden,
                    "positions_disabled",
                    "no positions token is configured (set the variable named by server.positionsTokenEnv)"
                )
            }
            if Self.same(token, positions) { return }
            let known = [admin, read].contains { $0.map { Self.same(token, $0) } ?? false }
            if known || pushSource(of: token) != nil {
                throw APIError(
                    .forbidden,
                    "forbidden",
                    "only the positions token (server.positionsTokenEnv) may post position snapshots"
                )
            }
            throw APIError(.unauthorized, "unauthorized", "invalid bearer token")
        }
    }

    /// Requires a push source's token; returns that source's id (the only source it may write).
    func requirePush(_ request: Request, client: @autoclosure () -> String) throws -> String {
        try guarded(request, client) {
            guard let token = Self.bearer(request) else {
                throw APIError(.unauthorized, "unauthorized", "missing bearer token")
            }
            if let source = pushSource(of: token) { return source }
            if let admin, Self.same(token, admin) {
                throw APIError(
                    .forbidden,
                    "forbidden",
                    "the admin token cannot push prices (a push source's token is needed)"
                )
            }
            if let read, Self.same(token, read) {
                throw APIError(
                    .forbidden,
                    "forbidden",
                    "the read token cannot push prices (a push source's token is needed)"
                )
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
