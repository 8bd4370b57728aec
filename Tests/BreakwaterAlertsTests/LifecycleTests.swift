import BreakwaterConfig
import BreakwaterStore
import Foundation
import Testing

@testable import BreakwaterAlerts
@testable import BreakwaterEngine

@Suite struct LifecycleTests {
    func center(
        _ store: RiskStateStore,
        repeatSeconds: Double = 300,
        hooks: [WebhookConfig]? = nil
    ) throws -> AlertCenter {
        try AlertCenter(
            store: store,
            config: alertsConfig(
                hooks ?? [hook("h", url: "http://127.0.0.1:1/")],
                repeatSeconds: repeatSeconds
            )
        )
    }

    func bodies(_ store: RiskStateStore, _ dest: String = "h") throws -> [[String: Any]] {
        try store.deliveries(destination: dest).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any])
        }
    }

    @Test func fireRemindResolveWithSameFingerprint() async throws {
        let store = try RiskStateStore(path: tempDBPath())
        let c = try center(store)
        let opened = try await c.process(
            events: [transition(from: .normal, to: .halted, reasons: [.velocity], at: 1000)],
            snapshots: [],
            now: 1000
        )
        #expect(opened.map(\.type) == ["breaker.halted"])
        #expect(try store.deliveries().count == 1)
        // Still firing: nothing new within the repeat interval, even with more transitions.
        try await c.process(
            events: [transition(from: .halted, to: .halted, reasons: [.velocity, .manual], at: 1100)],
            snapshots: [],
            now: 1100
        )
        try await c.process([], now: 1299)
        #expect(try store.deliveries().count == 1)
        // Reminder after the interval.
        try await c.process([], now: 1300)
        #expect(try store.deliveries().count == 2)
        try await c.process([], now: 1301)
        #expect(try store.deliveries().count == 2)
        // Resolve.
        let resolved = try await c.process(
            events: [transition(from: .halted, to: .normal, reasons: [], at: 1400)],
            snapshots: [],
            now: 1400
        )
        #expect(resolved.map(\.status) == [.resolved])
        #expect(resolved.first?.id == opened.first?.id)
        let b = try bodies(store)
        #expect(b.count == 3)
        let data = b.map { $0["data"] as? [String: Any] ?? [:] }
        #expect(data.map { $0["notice"] as? String } == ["firing", "reminder", "resolved"])
        #expect(Set(data.compactMap { $0["fingerprint"] as? String }) == ["BTC-USD/breaker.halted"])
        #expect(Set(data.compactMap { $0["id"] as? String }).count == 1)
        #expect(b[0]["type"] as? String == "breaker.halted")
        #expect(b[0]["timestamp"] as? String == "1970-01-01T00:16:40.000Z")
        #expect(Set(try store.deliveries().map(\.id)).count == 3)
        let stored = try #require(try store.alert(id: opened[0].id))
        #expect(stored.alert.status == .resolved)
        #expect(stored.alert.endsAt == 1400)
        #expect(await c.firingAlerts().isEmpty)
    }

    @Test func limitResolvesWhenMarketHalts() async throws {
        let store = try RiskStateStore(path: tempDBPath())
        let c = try center(store)
        try await c.process(
            events: [transition(from: .normal, to: .limit, reasons: [.priceBand], at: 10)],
            snapshots: [],
            now: 10
        )
        let changed = try await c.process(
            events: [transition(from: .limit, to: .halted, reasons: [.priceBand], at: 20)],
            snapshots: [],
            now: 20
        )
        #expect(
            changed.map { "\($0.type):\($0.status.rawValue)" } == ["breaker.halted:firing", "breaker.limit:resolved"]
                || changed.map { "\($0.type):\($0.status.rawValue)" } == [
                    "breaker.limit:resolved", "breaker.halted:firing",
                ]
        )
        #expect(await c.firingAlerts().map(\.type) == ["breaker.halted"])
    }

    @Test func limitWithoutPriceBandIsNotAnAlert() async throws {
        let store = try RiskStateStore(path: tempDBPath())
        let c = try center(store)
        let changed = try await c.process(
            events: [transition(from: .normal, to: .limit, reasons: [.warming], at: 10)],
            snapshots: [],
            now: 10
        )
        #expect(changed.isEmpty)
    }

    @Test func noQuorumAlertWhileWarming() async throws {
        let store = try RiskStateStore(path: tempDBPath())
        let c = try center(store)
        var changed = try await c.process(
            events: [transition(from: .normal, to: .limit, reasons: [.quorumLost, .warming], at: 10)],
            snapshots: [],
            now: 10
        )
        #expect(changed.isEmpty)
        changed = try await c.process(
            events: [transition(from: .limit, to: .limit, reasons: [.quorumLost], at: 20)],
            snapshots: [],
            now: 20
        )
        #expect(changed.map(\.type) == ["market.quorum_lost"])
        #expect(changed.first?.severity == .critical)
    }

    @Test func sourceDegradedIsPerSource() async throws {
        let store = try RiskStateStore(path: tempDBPath())
        let c = try center(store)
        try await c.process(
            events: [
                sourceEvent("binance", from: .ok, to: .stale, at: 10),
                sourceEvent("kraken", from: .ok, to: .error, at: 10),
            ],
            snapshots: [],
            now: 10
        )
        // Held for sourceDegradedForSeconds (10 s by default), then opened from when it began.
        #expect(await c.firingAlerts().isEmpty)
        try await c.process([], now: 19.9)
        #expect(await c.firingAlerts().isEmpty)
        try await c.process([], now: 20)
        let firing = await c.firingAlerts()
        #expect(
            firing.map(\.fingerprint).sorted() == ["BTC-USD/source.degraded/binance", "BTC-USD/source.degraded/kraken"]
        )
        #expect(firing.allSatisfy { $0.startsAt == 10 })
        try await c.process(events: [sourceEvent("binance", from: .stale, to: .ok, at: 25)], snapshots: [], now: 25)
        #expect(await c.firingAlerts().map(\.source) == ["kraken"])
    }

    /// In a fast move sources updated one by one are outliers for milliseconds: no page.
    @Test func aSourceDegradedForAMomentDoesNotFire() async throws {
        let store = try RiskStateStore(path: tempDBPath())
        let c = try center(store)
        for k in 0..<20 {
            let t = 10 + Double(k)
            try await c.process(
                events: [
                    sourceEvent("binance", from: .ok, to: .outlier, at: t),
                    sourceEvent("binance", from: .outlier, to: .ok, at: t + 0.01),
                ],
                snapshots: [],
                now: t + 0.01
            )
        }
        try await c.process([], now: 100)
        #expect(await c.firingAlerts().isEmpty)
        #expect(try store.deliveries().isEmpty)
        #expect(try store.listAlerts().alerts.isEmpty)
    }

    @Test func firingAlertsReattachAfterRestart() async throws {
        let path = tempDBPath()
        do {
            let c = try center(try RiskStateStore(path: path))
            try await c.process(
                events: [transition(from: .normal, to: .halted, reasons: [.manual], at: 1000)],
                snapshots: [],
                now: 1000
            )
        }
        let store = try RiskStateStore(path: path)
        let c = try center(store)
        #expect(await c.firingAlerts().map(\.type) == ["breaker.halted"])
        // The engine reports halted again after restart: no second alert, no new notification.
        try await c.process(
            events: [transition(from: .normal, to: .halted, reasons: [.manual], at: 1010)],
            snapshots: [],
            now: 1010
        )
        #expect(try store.deliveries().count == 1)
        #expect(try store.listAlerts().alerts.count == 1)
        // The reminder keeps its schedule from the stored notification time.
        try await c.process([], now: 1300)
        #expect(try store.deliveries().count == 2)
        try await c.process(
            events: [transition(from: .halted, to: .normal, reasons: [], at: 1400)],
            snapshots: [],
            now: 1400
        )
        #expect(try store.listAlerts(status: .resolved).alerts.count == 1)
    }

    @Test func filtersAndAlertmanagerResend() async throws {
        let store = try RiskStateStore(path: tempDBPath())
        let hooks = [
            hook("crit", url: "http://127.0.0.1:1/", minSeverity: .critical),
            hook("am", url: "http://127.0.0.1:1/", format: .alertmanager, resendSeconds: 60),
            hook("src", url: "http://127.0.0.1:1/", format: .slack, types: ["source.degraded"]),
        ]
        let c = try center(store, hooks: hooks)
        try await c.process(
            events: [transition(from: .normal, to: .limit, reasons: [.priceBand], at: 0)],
            snapshots: [],
            now: 0
        )
        #expect(try store.deliveries().map(\.destination) == ["am"])
        try await c.process([], now: 60)
        try await c.process([], now: 90)
        try await c.process([], now: 120)
        #expect(try store.deliveries().map(\.destination) == ["am", "am", "am"])
        let items = try #require(
            JSONSerialization.jsonObject(with: Data(try store.deliveries()[1].body)) as? [[String: Any]]
        )
        #expect(items[0]["endsAt"] as? String == "1970-01-01T00:05:00.000Z")
        #expect((items[0]["labels"] as? [String: String])?["alertname"] == "breaker.limit")
    }

    @Test func testAlertGoesToEveryDestination() async throws {
        let store = try RiskStateStore(path: tempDBPath())
        let hooks = [
            hook("crit", url: "http://127.0.0.1:1/", minSeverity: .critical),
            hook("pd", url: "http://127.0.0.1:1/", format: .pagerduty, types: ["breaker.halted"]),
        ]
        let c = try center(store, hooks: hooks)
        let a = try await c.sendTest(now: 5)
        #expect(a.type == "test")
        // PagerDuty: a trigger and, right behind it, the resolve of the same incident (its own
        // dedup_key), so a test leaves no incident open and the next test is a new one.
        #expect(try store.deliveries().map(\.destination) == ["crit", "pd", "pd"])
        let pd = try #require(
            JSONSerialization.jsonObject(with: Data(try store.deliveries()[1].body)) as? [String: Any]
        )
        let closing = try #require(
            JSONSerialization.jsonObject(with: Data(try store.deliveries()[2].body)) as? [String: Any]
        )
        #expect(pd["event_action"] as? String == "trigger")
        #expect(closing["event_action"] as? String == "resolve")
        #expect(pd["dedup_key"] as? String == "breakwater/test/\(a.id)")
        #expect(closing["dedup_key"] as? String == pd["dedup_key"] as? String)
        #expect(pd["routing_key"] == nil)
        #expect(await c.firingAlerts().isEmpty)
    }
}
