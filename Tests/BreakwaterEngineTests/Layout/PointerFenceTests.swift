import Foundation
import Testing

/// Unsafe pointers stay in Layout/: the domain folders work on values, `Slots` and
/// `MarketSources` (issue 18). Reads the engine's sources next to this test.
struct PointerFenceTests {
    static let engine = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/BreakwaterEngine")

    @Test(arguments: ["Aggregation", "Volatility", "Margin", "Breaker"])
    func domainFolderHasNoPointer(folder: String) throws {
        let directory = Self.engine.appendingPathComponent(folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".swift")
        }
        #expect(!files.isEmpty, "no sources in \(directory.path)")
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("Unsafe") || line.contains(".pointee") || line.contains("assumingMemoryBound")
                || line.contains("BreakwaterPrefetch")
            {
                Issue.record("\(folder)/\(file):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }
}
