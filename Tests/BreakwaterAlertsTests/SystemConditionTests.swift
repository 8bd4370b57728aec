import BreakwaterConfig
import BreakwaterStore
import Foundation
import Testing

@testable import BreakwaterAlerts
@testable import BreakwaterEngine

/// Conditions that are not engine events (a backtest, the correlation regime, stress) open and
/// resolve alerts through `AlertCenter.apply(_:at:)`, with their side and figures in the body.
@Suite struct SystemConditionTests {
    func regime(active: Bool, average: Double) -> AlertCondition {
        var d = AlertDetails()
        d.figures = ["averageCorrelation": average]
        return AlertCondition(
            type: "system.correlation_regime",
            market: AlertType.systemMarket,
            active: active,
            severity: .warning,
            summary: "average correlation \(average)",
            details: d
        )
    }

    @Test func aSystemConditionOpensOnceAndResolves() async throws {
        let store = try RiskStateStore(path: tempDBPath())
        let c = try AlertCenter(store: store, config: alertsConfig([hook("h", url: "http://127.0.0.1:1/")]))
        let opened = try await c.apply([regime(active: true, average: 0.85)], at: 1000)
        #expect(opened.map(\.status) == [.firing])
        #expect(opened.first?.market == "*")
        // Still active: nothing new.
        #expect(try await c.apply([regime(active: true, average: 0.9)], at: 1010).isEmpty)
        let resolved = try await c.apply([regime(active: false, average: 0.4)], at: 1020)
        #expect(resolved.map(\.status) == [.resolved])
        #expect(resolved.first?.id == opened.first?.id)
        let bodies = try store.deliveries(destination: "h").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any])
        }
        #expect(bodies.count == 2)
        let text = String(decoding: try store.deliveries(destination: "h")[0].body, as: UTF8.self)
        #expect(text.contains("\"averageCorrelation\":0.85"))
        // Nothing firing: an inactive condition changes nothing.
        #expect(try await c.apply([regime(active: false, average: 0.1)], at: 1030).isEmpty)
    }
}
