import BreakwaterWire

/// The bearer-token variables a configuration names (admin, read, positions, one per push source id) and
/// the checks on their values. Values are read with `EnvironmentSecret.value`, trimmed
/// like every secret; no message ever quotes a value, only the variable's name and length.
public enum TokenVariables {
    /// Shortest token accepted, characters (`openssl rand -hex 32` gives 64).
    public static let minimumLength = 16

    /// One token variable and what its token is for.
    public struct Named: Sendable, Equatable {
        public let variable: String
        /// "the admin token", "the read token", "the positions token", "push source \"p\"'s token".
        public let use: String
    }

    /// Every token variable the configuration names, once each, admin, read and positions first, then push
    /// sources in file order.
    public static func named(in config: BreakwaterConfig) -> [Named] {
        var out: [Named] = []
        var seen: Set<String> = []
        func add(_ variable: String?, _ use: String) {
            if let variable, seen.insert(variable).inserted { out.append(Named(variable: variable, use: use)) }
        }
        add(config.server.adminTokenEnv, "the admin token")
        add(config.server.readTokenEnv, "the read token")
        add(config.server.positionsTokenEnv, "the positions token")
        for m in config.markets {
            for s in m.sources where s.kind == .push {
                add(s.tokenEnv, "push source \(PrintableText.quoted(s.id))'s token")
            }
        }
        return out
    }

    /// The named variables that are unset or blank.
    public static func unset(in config: BreakwaterConfig, environment: [String: String]) -> [Named] {
        named(in: config).filter { EnvironmentSecret.value($0.variable, in: environment) == nil }
    }

    /// Problems with the tokens that are set: one shorter than `minimumLength`, one value in two
    /// variables (a token must name one caller). Each is reported at `env NAME`.
    public static func problems(in config: BreakwaterConfig, environment: [String: String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        var holder: [String: String] = [:]  // value -> first variable holding it
        for n in named(in: config) {
            guard let value = EnvironmentSecret.value(n.variable, in: environment) else { continue }
            if value.count < minimumLength {
                issues.append(
                    ConfigIssue(
                        path: "env \(n.variable)",
                        message: "\(n.use) is \(value.count) characters; a token needs at least "
                            + "\(minimumLength) (e.g. openssl rand -hex 32)"
                    )
                )
            }
            if let first = holder[value] {
                issues.append(
                    ConfigIssue(
                        path: "env \(n.variable)",
                        message: "holds the same token as \(first); \(n.use) must be its own"
                    )
                )
            } else {
                holder[value] = n.variable
            }
        }
        return issues
    }

    /// Problems only a running server has (a configuration may be checked without its secrets):
    /// `protectReads` with no token that can read, which would answer every read 401.
    public static func servingProblems(in config: BreakwaterConfig, environment: [String: String]) -> [ConfigIssue] {
        guard config.server.protectReads else { return [] }
        let readers = [config.server.readTokenEnv, config.server.adminTokenEnv].compactMap { $0 }
        guard readers.allSatisfy({ EnvironmentSecret.value($0, in: environment) == nil }) else { return [] }
        let names = readers.isEmpty ? "readTokenEnv" : readers.joined(separator: " or ")
        return [
            ConfigIssue(
                path: "server.protectReads",
                message: "true, but no token can read: set \(names) "
                    + "(every read would answer 401)"
            )
        ]
    }
}
