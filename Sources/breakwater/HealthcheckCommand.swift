import ArgumentParser
import AsyncHTTPClient
import BreakwaterConfig
import Foundation
import NIOCore
import NIOHTTP1

/// `breakwater healthcheck`: GET /healthz on the local service; exit 0 when it answers 200,
/// 1 otherwise. For the container HEALTHCHECK, so the image needs no curl.
struct HealthcheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Exit 0 when /healthz answers 200, else 1."
    )

    @Option(help: "Host (default: $BREAKWATER_HEALTHCHECK_HOST or 127.0.0.1).") var host: String?
    @Option(help: "Port (default: $BREAKWATER_PORT or 8080).") var port: Int?
    @Option(help: "Timeout in seconds.") var timeout: Double = 3

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let host = host ?? env["BREAKWATER_HEALTHCHECK_HOST"] ?? "127.0.0.1"
        let port = port ?? env["BREAKWATER_PORT"].flatMap(Int.init) ?? 8080
        guard (1...65535).contains(port) else { throw ValidationError("port \(port) is not 1...65535") }
        guard timeout.isFinite, timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout must be in (0, 3600] seconds")
        }
        let bracketed = ConfigLoader.hostForURL(host)
        guard let url = URL(string: "http://\(bracketed):\(port)/healthz") else {
            throw ValidationError("\"\(host)\" is not a host name or address")
        }
        do {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: url.absoluteString),
                timeout: .milliseconds(Int64(timeout * 1000))
            )
            if response.status.code == 200 {
                print("ok: \(url) answered 200")
                return
            }
            print("unhealthy: \(url) answered \(response.status.code)")
        } catch {
            print("unhealthy: \(url): \(error)")
        }
        throw ExitCode(1)
    }
}
