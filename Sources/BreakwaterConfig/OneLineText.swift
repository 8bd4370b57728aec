/// Characters that let outside text forge or hide log lines when written on one line: C0 and
/// C1 controls (line breaks, escape sequences, NUL) and the bidirectional overrides and
/// isolates. Halt reasons refuse them; feed error messages escape them.
extension Unicode.Scalar {
    public var isControlOrBidiOverride: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
}

extension ConfigLoader {
    /// The value of environment variable `name` without the whitespace and line breaks around
    /// it (`kubectl create secret --from-file` keeps a file's final newline); nil when `name`
    /// is nil, or the variable is unset or blank.
    public static func environmentValue(_ name: String?, in environment: [String: String]) -> String? {
        guard let name, let raw = environment[name] else { return nil }
        let value = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        return value.isEmpty ? nil : value
    }
}
