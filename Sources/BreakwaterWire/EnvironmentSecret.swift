/// Secrets and tokens read from the environment (bearer tokens, webhook secrets, routing
/// keys), all trimmed by one rule.
public enum EnvironmentSecret {
    /// The value of environment variable `name` without the whitespace and line breaks around
    /// it (`kubectl create secret --from-file` keeps a file's final newline); nil when `name`
    /// is nil, or the variable is unset or blank.
    public static func value(_ name: String?, in environment: [String: String]) -> String? {
        guard let name, let raw = environment[name] else { return nil }
        let value = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        return value.isEmpty ? nil : value
    }
}
