import ArgumentParser
import BreakwaterConfig
import Foundation

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and print a summary (exit 0) or every problem (exit 2)."
    )

    @Argument(help: "Path to the configuration (default: $BREAKWATER_CONFIG or ./config.json).")
    var path: String?

    @Flag(
        help:
            "List every market, however many (by default, more than \(ConfigSummary.listedMarkets) are grouped by thresholds)."
    )
    var everyMarket = false

    func run() throws {
        let path = ConfigPath.resolve(path)
        do {
            let config = try ConfigLoader.load(path: path, environment: ProcessInfo.processInfo.environment)
            print(ConfigSummary.render(config, path: path, everyMarket: everyMarket))
        } catch let error as ConfigError {
            FileHandle.standardError.write(
                Data("\(path): \(error.issues.count) problem(s)\n\(error.description)\n".utf8)
            )
            throw ExitCode(2)
        }
    }
}

enum ConfigPath {
    /// The explicit path, else $BREAKWATER_CONFIG, else ./config.json.
    static func resolve(_ explicit: String?) -> String {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment[ConfigLoader.pathVariable], !env.isEmpty { return env }
        return "config.json"
    }

    /// Loads or exits 2 with every problem printed.
    static func load(_ explicit: String?) throws -> BreakwaterConfig {
        let path = resolve(explicit)
        do {
            return try ConfigLoader.load(path: path, environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigError {
            FileHandle.standardError.write(
                Data("\(path): \(error.issues.count) problem(s)\n\(error.description)\n".utf8)
            )
            throw ExitCode(2)
        }
    }
}
