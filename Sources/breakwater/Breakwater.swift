import ArgumentParser

/// The `breakwater` command: serve, replay, demo, check-config, healthcheck.
@main
struct Breakwater: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breakwater",
        abstract:
            "Risk sidecar for leveraged crypto-derivatives protocols: oracle aggregation, dynamic margin, circuit breakers.",
        version: BreakwaterVersion.string,
        subcommands: [
            ServeCommand.self, ReplayCommand.self, StressCommand.self, DemoCommand.self, CheckConfigCommand.self,
            HealthcheckCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}

enum BreakwaterVersion {
    static let string = "0.1.0"
}
