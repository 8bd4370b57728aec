import BreakwaterEngine
import BreakwaterWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    /// Each issue's path before escaping, to find it in the document.
    private var rawPaths: [String] = []
    private var seen: Set<String> = []
    func add(_ path: String, _ message: String) {
        let issue = ConfigIssue(path: path, message: message)
        if seen.insert(issue.description).inserted {
            issues.append(issue)
            rawPaths.append(path)
        }
    }

    /// The issues in the order of the file they are about, so that a reader fixing them from
    /// top to bottom meets them in turn (validation finds them in another order: cross-checks
    /// such as duplicate ids and `normalizeBy` cycles come last). An issue is placed where
    /// its value begins or, for a missing key, where the nearest enclosing value does; issues
    /// about no place in the file (the environment's) come first; ties keep the order found.
    func inDocumentOrder(of document: Data) -> [ConfigIssue] {
        let candidates = rawPaths.map(Self.enclosingPaths)
        let offsets = document.withUnsafeBytes { raw in
            JSONParser.offsets(of: Set(candidates.joined()), in: raw.bindMemory(to: UInt8.self))
        }
        let placed = candidates.enumerated().map { i, paths in
            (offset: rawPaths[i].hasPrefix("env ") ? -1 : paths.lazy.compactMap { offsets[$0] }.first ?? -1, found: i)
        }
        return placed.sorted { ($0.offset, $0.found) < ($1.offset, $1.found) }.map { issues[$0.found] }
    }

    /// `path` and the paths enclosing it, innermost first: `a.b[2].c`, `a.b[2]`, `a.b`, `a`, ``.
    static func enclosingPaths(_ path: String) -> [String] {
        var out = [path]
        var p = Substring(path)
        while !p.isEmpty {
            if p.last == "]", let open = p.lastIndex(of: "[") {
                p = p[..<open]
            } else if let dot = p.lastIndex(of: ".") {
                p = p[..<dot]
            } else {
                p = ""
            }
            out.append(String(p))
        }
        return out
    }
}
