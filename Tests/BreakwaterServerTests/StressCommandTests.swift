import BreakwaterTestSupport
import Foundation
import Testing

/// `breakwater stress` run as a user runs it: the built binary on a config and a positions file.
struct StressCommandTests {
    /// The vector book of domain-systemic.md section 3 (initialVolatility 0.04 x sqrt(365), so
    /// that sigma_day is 4 %; m 0.5 % as the margin floor), two ranked shorts, two bad items.
    static let config = """
        {"markets": [
          {"id": "VEC-USD", "sources": [{"id": "cb", "kind": "coinbase", "symbol": "VEC-USD"},
                                        {"id": "kr", "kind": "kraken", "symbol": "VECUSD"}],
           "margin": {"initialVolatility": 0.764198926981712, "maintenanceFloor": 0.005, "distribution": "normal"},
           "liquidity": {"dailyVolume": 1e9, "depth1Pct": 2e7, "impactY": 0.7}}]}
        """

    static let positions = """
        {"asOf": "2026-12-06T18:00:00Z", "insuranceFund": {"balance": 2000000}, "markets": [
          {"market": "VEC-USD", "mark": 100, "positions": [
            {"side": "long", "size": 500000, "entry": 100, "collateral": 1000000},
            {"side": "long", "size": 1000000, "entry": 100, "collateral": 5000000},
            {"side": "long", "size": 1500000, "entry": 100, "collateral": 15000000},
            {"side": "long", "size": 2000000, "entry": 100, "collateral": 40000000},
            {"side": "long", "size": 0, "entry": 100, "collateral": 1},
            {"side": "short", "size": 400000, "entry": 105, "collateral": 4000000, "account": "s2"},
            {"side": "short", "size": 100000, "entry": 100, "collateral": 1000000, "account": "s1"}]},
          {"market": "NOPE-USD", "positions": []}]}
        """

    func run(_ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        let binary = try #require(LiveServeTests.binary, "build the breakwater binary first")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-stress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.config.utf8).write(to: dir.appendingPathComponent("config.json"))
        try Data(Self.positions.utf8).write(to: dir.appendingPathComponent("positions.json"))
        let already = Self.positions.replacingOccurrences(of: "\"mark\": 100,", with: "\"mark\": 98,")
            .replacingOccurrences(of: "\"balance\": 2000000", with: "\"balance\": 100000")
        try Data(already.utf8).write(to: dir.appendingPathComponent("already.json"))
        let paths = arguments.map { $0.hasSuffix(".json") ? dir.appendingPathComponent($0).path : $0 }
        return try await ChildProcess.run(binary, ["stress"] + paths)
    }

    /// The words of the first output line that starts with `prefix` (after its indent).
    func words(_ output: String, _ prefix: String) -> [String] {
        let line = output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }
        return line.map { $0.split(separator: " ").map(String.init) } ?? []
    }

    @Test func printsTheVectorTableFiguresWithTheirSources() async throws {
        let r = try await run([
            "--config", "config.json", "--positions", "positions.json", "--shock", "0.05", "--origin", "VEC-USD",
        ])
        #expect(r.status == 0, "\(r.errors)")
        let out = r.output
        #expect(out.contains("refused markets[0].positions[4]: size: must be > 0"))
        #expect(out.contains("refused markets[1]: market \"NOPE-USD\" is not configured"))
        #expect(out.contains("price 100 (snapshot mark), m 0.50 %, sigma_day 4.00 %"))
        #expect(out.contains("liquidity (config): ADV $1.000B, depth 1 % $20.000M, Y 0.7"))
        #expect(
            words(out, "5 %  down  sqrt") == [
                "5", "%", "down", "sqrt", "93.9698", "1", "2", "$150.000M", "$3.045M", "$1.045M",
            ]
        )
        #expect(
            words(out, "5 %  down  linear") == [
                "5", "%", "down", "linear", "80.75", "2", "3", "$300.000M", "$26.062M", "$24.062M",
            ]
        )
        #expect(out.contains("the fund empties (this market alone) at: down sqrt 4.4431 %; down linear 2.0745 %"))
        #expect(words(out, "1  VEC-USD").prefix(5) == ["1", "VEC-USD", "down", "4.4431", "%"])
        // --origin: the shortfall goes to the shorts, the higher-ranked first.
        #expect(
            out.contains(
                "scenario: VEC-USD down 5 %, sqrt impact: bad debt $3.045M against the fund's $2.000M, shortfall $1.045M"
            )
        )
        #expect(words(out, "VEC-USD  s2").prefix(3) == ["VEC-USD", "s2", "short"])
        #expect(out.contains("betas: none given offline"))
    }

    @Test func saysWhenTheFundIsAlreadyEmptyAtTheReferencePrice() async throws {
        // The 50x long is past its liquidation price at a mark of 98: no move is needed.
        let r = try await run(["--config", "config.json", "--positions", "already.json", "--shock", "0.05"])
        #expect(r.status == 0, "\(r.errors)")
        #expect(r.output.contains("at: down sqrt 0 (already); down linear 0 (already)"), "\(r.output)")
        #expect(r.output.contains("price 98 (snapshot mark)"))
    }

    @Test func refusesBadArgumentsAndFilesWithExitCode2() async throws {
        let origin = try await run(["--config", "config.json", "--positions", "positions.json", "--origin", "BTC-USD"])
        #expect(origin.status == 2)
        #expect(
            origin.errors.contains("--origin BTC-USD is not a stressed market of this snapshot (stressed: VEC-USD)")
        )
        let missing = try await run(["--config", "config.json", "--positions", "missing.json"])
        #expect(missing.status == 2 && missing.errors.contains("No such file or directory"))
        let shock = try await run(["--config", "config.json", "--positions", "positions.json", "--shock", "1.5"])
        #expect(shock.status != 0 && shock.errors.contains("--shock 1.5 is not a fraction in (0, 1)"))
    }
}
