/// Replaces the characters a text format gives a meaning (`replacements`' keys) with their
/// escapes; every other character is kept as it is.
enum CharacterEscaping {
    static func escape(_ text: String, _ replacements: [Character: String]) -> String {
        var out = ""
        for c in text {
            if let r = replacements[c] { out += r } else { out.append(c) }
        }
        return out
    }
}
