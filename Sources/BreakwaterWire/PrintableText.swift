/// Characters that let outside text forge or hide log lines when written on one line: C0 and
/// C1 controls (line breaks, escape sequences, NUL) and the bidirectional overrides and
/// isolates. Halt reasons refuse them; messages that quote outside text escape them.
extension Unicode.Scalar {
    public var isControlOrBidiOverride: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    /// Also written escaped when quoted: line and paragraph separators and direction marks.
    var isLineOrDirectionMark: Bool {
        value == 0x2028 || value == 0x2029 || value == 0x200E || value == 0x200F || value == 0x061C
    }

    /// Characters that take no width: zero-width space, non-joiner and joiner, word joiner
    /// and the invisible operators, U+FEFF (byte-order mark) and the Mongolian vowel separator.
    var isZeroWidth: Bool {
        (0x200B...0x200D).contains(value) || (0x2060...0x2064).contains(value) || value == 0xFEFF || value == 0x180E
    }

    /// True for every character a one-line text shown to people (a halt reason, an actor name)
    /// refuses: controls, line and paragraph separators, direction marks, overrides and
    /// isolates, and zero-width characters. `PrintableText.escaped` escapes exactly these.
    public var breaksOrHidesText: Bool {
        isControlOrBidiOverride || isLineOrDirectionMark || isZeroWidth
    }
}

/// Outside text (a venue's answer, a config value, a CSV field) made safe to quote in a
/// message that goes to a terminal or a log line.
public enum PrintableText {
    /// `text` with control characters, direction overrides, line separators, direction marks
    /// and zero-width characters written as `\u{..}`, cut to `limit` Unicode scalars (counted
    /// after escaping) with "…".
    public static func escaped<S: StringProtocol>(_ text: S, limit: Int = .max) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if scalar.breaksOrHidesText {
                let escaped = "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars
                out.append(contentsOf: escaped)
                count += escaped.count
            } else {
                out.append(scalar)
                count += 1
            }
            if count > limit {
                return String(String.UnicodeScalarView(out.prefix(limit))) + "…"
            }
        }
        return String(out)
    }

    /// `s` in double quotes for a message, cut to its first 80 characters.
    public static func quoted(_ s: String) -> String {
        s.count > 80 ? "\"\(s.prefix(80))\"... (\(s.count) characters)" : "\"\(s)\""
    }
}
