/// A PostgreSQL connection URL, `postgres://user:password@host:port/database?sslmode=disable`
/// (libpq's form; `postgresql://` too). User and password are percent-decoded; the port
/// defaults to 5432 and the database to the user. The only query parameter read is
/// `sslmode=disable` (the default): connections are plain TCP, for a database on the same
/// private network (TLS is not supported yet).
public struct DatabaseURL: Sendable, Equatable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    /// Parses `text`; throws ``Problem`` saying what is wrong, never echoing the password.
    public init(_ text: String) throws(Problem) {
        let schemes = ["postgres://", "postgresql://"]
        guard let scheme = schemes.first(where: { text.hasPrefix($0) }) else {
            throw Problem("does not start with postgres:// (expected postgres://user:password@host:5432/database)")
        }
        var rest = Substring(text.dropFirst(scheme.count))
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var pathPart: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            pathPart = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        guard let at = rest.lastIndex(of: "@") else {
            throw Problem("names no user (expected postgres://user:password@host:5432/database)")
        }
        let userInfo = rest[..<at]
        let hostPort = rest[rest.index(after: at)...]
        if let colon = userInfo.firstIndex(of: ":") {
            user = try Self.decoded(userInfo[..<colon], what: "user")
            password = try Self.decoded(userInfo[userInfo.index(after: colon)...], what: "password")
        } else {
            user = try Self.decoded(userInfo, what: "user")
            password = nil
        }
        guard !user.isEmpty else {
            throw Problem("names no user (expected postgres://user:password@host:5432/database)")
        }
        var hostText = hostPort
        var portText: Substring? = nil
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw Problem("has an unclosed [ in its host") }
            hostText = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw Problem("has text after its [host]")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            hostText = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        }
        guard !hostText.isEmpty else {
            throw Problem("names no host (expected postgres://user:password@host:5432/database)")
        }
        host = String(hostText)
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw Problem("has a port that is not 1...65535")
            }
            port = p
        } else {
            port = 5432
        }
        let db = try Self.decoded(pathPart, what: "database")
        database = db.isEmpty ? user : db
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0] == "sslmode" else {
                throw Problem("has a query parameter other than sslmode (only sslmode=disable is read)")
            }
            guard kv[1] == "disable" else {
                throw Problem(
                    "has sslmode \(PrintableText.quoted(String(kv[1]))) (only disable: TLS to the database is not supported)"
                )
            }
        }
    }

    /// The URL without its password, for logs and errors.
    public var redacted: String {
        "postgres://\(user)\(password == nil ? "" : ":***")@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// What is wrong with a URL.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    private static func decoded(_ s: Substring, what: String) throws(Problem) -> String {
        var bytes: [UInt8] = []
        var i = s.utf8.startIndex
        let u = s.utf8
        while i < u.endIndex {
            let c = u[i]
            if c == UInt8(ascii: "%") {
                let h1 = u.index(after: i)
                guard h1 < u.endIndex else { throw Problem("has a bad percent escape in its \(what)") }
                let h2 = u.index(after: h1)
                guard h2 < u.endIndex, let hi = hexValue(u[h1]), let lo = hexValue(u[h2]) else {
                    throw Problem("has a bad percent escape in its \(what)")
                }
                bytes.append(hi << 4 | lo)
                i = u.index(after: h2)
            } else {
                bytes.append(c)
                i = u.index(after: i)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self),
            !text.unicodeScalars.contains(where: \.isControlOrBidiOverride)
        else { throw Problem("has a \(what) that is not printable UTF-8") }
        return text
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
