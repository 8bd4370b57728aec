/// Replaces the characters a text format gives a meaning (`replacements`' keys, each one
/// Unicode scalar) with their escapes; every other scalar is kept as it is. Works scalar by
/// scalar: a `"` or `<` followed by a combining mark is one Swift `Character`, but a byte-level
/// reader still sees the quote or the bracket, so it must be escaped all the same.
enum CharacterEscaping {
    static func escape(_ text: String, _ replacements: [Character: String]) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let r = replacements[Character(scalar)] { out.append(contentsOf: r.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }
}
