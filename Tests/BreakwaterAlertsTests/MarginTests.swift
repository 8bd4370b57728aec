import BreakwaterConfig
import BreakwaterStore
import Testing

@testable import BreakwaterAlerts
@testable import BreakwaterEngine

/// `margin.changed` notifications and start-up reconciliation from snapshots.
@Suite struct MarginTests {
    @Test func notifiesOnlyOnStepLargerThanConfigured() async throws {
        let path = tempDBPath()
        let store = try RiskStateStore(path: path)
        let c = try AlertCenter(
            store: store,
            config: alertsConfig([hook("h", url: "http://127.0.0.1:1/")], marginStep: 0.1)
        )
        try await c.process(events: [], snapshots: [snapshot(margin: 0.05, at: 0)], now: 0)
        try await c.process(events: [], snapshots: [snapshot(margin: 0.054, at: 1)], now: 1)
        #expect(try store.deliveries().isEmpty)
        let changed = try await c.process(events: [], snapshots: [snapshot(margin: 0.056, at: 2)], now: 2)
        #expect(changed.map(\.type) == ["margin.changed"])
        #expect(changed.first?.severity == .info)
        #expect(changed.first?.summary.contains("5% -> 5.6%") == true)
        // Measured from the last notification, not the previous tick; and it never becomes a firing alert.
        try await c.process(events: [], snapshots: [snapshot(margin: 0.06, at: 3)], now: 3)
        #expect(try store.deliveries().count == 1)
        #expect(await c.firingAlerts().isEmpty)
        // The baseline survives a restart.
        let c2 = try AlertCenter(
            store: try RiskStateStore(path: path),
            config: alertsConfig([hook("h", url: "http://127.0.0.1:1/")], marginStep: 0.1)
        )
        try await c2.process(events: [], snapshots: [snapshot(margin: 0.0495, at: 4)], now: 4)
        #expect(try store.deliveries().count == 2)
    }

    @Test func reattachedAlertResolvesWhenSnapshotShowsItCleared() async throws {
        let path = tempDBPath()
        let config = alertsConfig([hook("h", url: "http://127.0.0.1:1/")])
        do {
            let c = try AlertCenter(store: try RiskStateStore(path: path), config: config)
            try await c.process(
                events: [transition(from: .normal, to: .halted, reasons: [.velocity], at: 100)],
                snapshots: [],
                now: 100
            )
        }
        let store = try RiskStateStore(path: path)
        let c = try AlertCenter(store: store, config: config)
        // Warming: cannot tell yet.
        try await c.process(
            events: [],
            snapshots: [snapshot(margin: 0.05, state: .limit, reasons: [.warming], at: 200)],
            now: 200
        )
        #expect(await c.firingAlerts().count == 1)
        let changed = try await c.process(events: [], snapshots: [snapshot(margin: 0.05, at: 210)], now: 210)
        #expect(changed.map(\.status) == [.resolved])
        #expect(try store.listAlerts(status: .firing).alerts.isEmpty)
    }

    /// After a restart a source that has sent nothing since is still down: its re-attached
    /// `source.degraded` stays firing once warming ends (it was resolved: a false all-clear).
    @Test func reattachedSourceAlertStaysFiringWhileTheSourceSendsNothing() async throws {
        let path = tempDBPath()
        var config = alertsConfig([hook("h", url: "http://127.0.0.1:1/")])
        config.sourceDegradedForSeconds = 0
        do {
            let c = try AlertCenter(store: try RiskStateStore(path: path), config: config)
            try await c.process(events: [sourceEvent("a", from: .ok, to: .stale, at: 100)], snapshots: [], now: 100)
            #expect(await c.firingAlerts().map(\.type) == ["source.degraded"])
        }
        var engine = try RiskEngine(
            markets: [
                MarketParameters(
                    id: "BTC-USD",
                    sources: ["a", "b", "c"].map { SourceParameters(id: $0, kind: "push") },
                    aggregation: .init(minSources: 2, maxAgeSeconds: 10)
                )
            ],
            start: 200
        )
        engine.advance(to: 215)  // warming over, nothing received
        let snapshot = engine.snapshot(market: 0)
        #expect(snapshot.sources[0].status == .waiting && !snapshot.reasons.contains(.warming))
        let c = try AlertCenter(store: try RiskStateStore(path: path), config: config)
        let changed = try await c.process(events: [], snapshots: [snapshot], now: 215)
        #expect(changed.isEmpty, "\(changed.map(\.summary))")
        #expect(await c.firingAlerts().map(\.type) == ["source.degraded"])
    }

    @Test func reattachedHaltStaysFiringWhileStillHalted() async throws {
        let path = tempDBPath()
        let config = alertsConfig([hook("h", url: "http://127.0.0.1:1/")])
        do {
            let c = try AlertCenter(store: try RiskStateStore(path: path), config: config)
            try await c.process(
                events: [transition(from: .normal, to: .halted, reasons: [.manual], at: 100)],
                snapshots: [],
                now: 100
            )
        }
        let c = try AlertCenter(store: try RiskStateStore(path: path), config: config)
        try await c.process(
            events: [],
            snapshots: [snapshot(margin: 0.05, state: .halted, reasons: [.manual], at: 200)],
            now: 200
        )
        #expect(await c.firingAlerts().map(\.type) == ["breaker.halted"])
    }
}
