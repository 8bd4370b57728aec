import ArgumentParser
import BreakwaterConfig
import BreakwaterStress
import Foundation

struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract:
            "Stress a positions snapshot offline: liquidation maps, cascades, the shocks that empty the insurance fund, the critical markets."
    )

    @Option(help: "Configuration file (default: $BREAKWATER_CONFIG or ./config.json).") var config: String?
    @Option(help: "Positions snapshot, as POST /v1/positions takes it.") var positions: String
    @Option(help: "One shock to run, a fraction in (0, 1) (default: the config's stress.shocks).") var shock: Double?
    @Option(help: "Carry the shock from this market to the others and work out the ADL need and queue.")
    var origin: String?

    func validate() throws {
        if let shock, !(shock > 0 && shock < 1) {
            throw ValidationError("--shock \(shock) is not a fraction in (0, 1) (0.1 = 10 %)")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let cfg = try ConfigPath.load(config)
        let reading = try readSnapshot(known: Set(cfg.markets.map(\.id)))
        let inputs = StressInputs(snapshot: reading.snapshot, config: cfg)
        let ids = inputs.markets.map(\.stress.id)
        if let origin, !ids.contains(origin) {
            let known = ids.isEmpty ? "none" : ids.joined(separator: ", ")
            fail("--origin \(origin) is not a stressed market of this snapshot (stressed: \(known))")
        }
        let settings = StressSettings(shocks: shock.map { [$0] } ?? cfg.stress.shocks)
        let snapshot = reading.snapshot
        let positions = Dictionary(snapshot.markets.map { ($0.market, $0.positions) }, uniquingKeysWith: { a, _ in a })
        let book = StressBook(
            books: inputs.markets.map { MarketStressBook(market: $0.stress, positions: positions[$0.stress.id] ?? []) },
            insuranceFund: snapshot.insuranceFund
        )
        let report = StressPass.run(book, asOf: snapshot.asOf, betas: .none, settings: settings)
        var out = StressTables(report: report, inputs: inputs, refusals: reading.refusals, path: self.positions)
        out.header()
        for m in report.markets { out.market(m) }
        out.critical()
        if let origin {
            for s in settings.shocks {
                for direction in ShockDirection.allCases {
                    for model in settings.impactModels {
                        let scenario = Scenario.contagion(
                            from: origin,
                            Shock(direction, s),
                            markets: ids,
                            betas: .none,
                            impact: model
                        )
                        out.scenario(book.evaluate(scenario), origin: origin)
                    }
                }
            }
        }
        FileHandle.standardOutput.write(Data(out.text.utf8))
    }

    private func readSnapshot(known: Set<String>) throws -> PositionSnapshotReading {
        var bytes: [UInt8] = []
        do {
            let file = try ReplayInput(path: positions)
            while true {
                let chunk = try file.read(upTo: 8 << 20)
                if chunk.isEmpty { break }
                bytes += chunk
            }
        } catch let e as ReplayFileError {
            fail(e.description)
        }
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(PositionSnapshotError) -> PositionSnapshotReading in
                try PositionSnapshotReader.read(buffer, knownMarkets: known)
            }
        }
        switch result {
        case let .success(reading): return reading
        case let .failure(error): fail("\(positions): \(error)")
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("breakwater stress: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
