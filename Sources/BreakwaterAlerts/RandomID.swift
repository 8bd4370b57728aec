/// Random identifiers such as `msg_2bT9...` (prefix + 22 base62 characters, about 131 bits).
public enum RandomID {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    @Sendable public static func make(_ prefix: String) -> String {
        var g = SystemRandomNumberGenerator()
        return prefix + String((0..<22).map { _ in alphabet[Int(g.next(upperBound: UInt64(alphabet.count)))] })
    }
}
