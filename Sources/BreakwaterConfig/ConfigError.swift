import BreakwaterEngine

/// One problem in a configuration file: where (a JSON path such as
/// `markets[1].sources[0].kind`) and what was expected.
///
/// Both quote the file and the environment, so control and direction characters in them are
/// escaped (`\u{1b}`): a message must not write escape sequences to the terminal nor break
/// its line.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = PrintableText.escaped(path, limit: 300)
        self.message = PrintableText.escaped(message, limit: 1_000)
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Every problem found in a configuration, reported at once.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Collects issues while the reader walks the document.
/// An issue found twice (a shared `defaults` value checked for every market) is kept once.
final class IssueSink {
    var issues: [ConfigIssue] = []
    private var seen: Set<String> = []
    func add(_ path: String, _ message: String) {
        let issue = ConfigIssue(path: path, message: message)
        if seen.insert(issue.description).inserted { issues.append(issue) }
    }
}
