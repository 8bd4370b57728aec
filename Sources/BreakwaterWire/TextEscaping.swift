/// Outside text written into a text format (a log line, a Prometheus label, HTML): the
/// characters the format gives a meaning are escaped. The one place these escapes are written.
/// Works scalar by scalar: a `"` or `<` followed by a combining mark is one Swift `Character`,
/// but a byte-level reader still sees the quote or the bracket, so it must be escaped all the same.
public enum TextEscaping {
    /// `text` with each scalar that is a key of `replacements` replaced; every other scalar kept.
    static func replacing(_ text: String, _ replacements: [Unicode.Scalar: String]) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let r = replacements[scalar] { out.append(contentsOf: r.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// `text` as one logfmt value: bare when it is printable ASCII without spaces, `"`, `=` or
    /// `\`; otherwise quoted, with `\` and `"` escaped and the characters that break or hide a
    /// line written as `\u{..}` (`PrintableText`). A value cannot forge another field.
    public static func logValue(_ text: String) -> String {
        let bare =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                (0x21...0x7E).contains($0.value) && $0 != "\"" && $0 != "=" && $0 != "\\"
            }
        if bare { return text }
        return "\"" + PrintableText.escaped(replacing(text, ["\\": "\\\\", "\"": "\\\""])) + "\""
    }

    /// A Prometheus label value for the text exposition format: backslash, double quote and
    /// line feed escaped.
    public static func prometheusLabel(_ text: String) -> String {
        replacing(text, ["\\": "\\\\", "\"": "\\\"", "\n": "\\n"])
    }

    /// `text` with the characters HTML gives a meaning escaped (safe in element text and in
    /// double-quoted attributes).
    public static func html(_ text: String) -> String {
        replacing(text, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"])
    }
}
