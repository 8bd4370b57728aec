import BreakwaterEngine
import BreakwaterStore
import Testing

/// Breaker and halt state, margin and last good price per market survive a reopen.
@Suite struct RiskStateStoreMarketStateTests {
    @Test(arguments: StoreBackendKind.allCases) func marketStateRoundTrip(_ backend: StoreBackendKind) async throws {
        let place = try await StorePlace.fresh(backend)
        do {
            let store = try place.open()
            let halt = ManualHalt(reason: "exploit on venue", by: "ops@example", since: 1000, until: 1300)
            try store.saveMarketStates([
                MarketStateRecord(
                    market: "BTC-USD",
                    manual: halt,
                    bandHaltUntil: 1200,
                    velocityHaltUntil: nil,
                    maintenanceMargin: 0.05,
                    updatedAt: 1001
                ),
                MarketStateRecord(
                    market: "ETH-USD",
                    maintenanceMargin: 0.07,
                    lastGoodPrice: 3012.5,
                    lastGoodPriceTime: 999.5,
                    updatedAt: 1001
                ),
            ])
        }
        let reopened = try place.open()
        let states = try reopened.loadMarketStates()
        #expect(states.map(\.market) == ["BTC-USD", "ETH-USD"])
        #expect(states[0].manual == ManualHalt(reason: "exploit on venue", by: "ops@example", since: 1000, until: 1300))
        #expect(states[0].bandHaltUntil == 1200)
        #expect(states[0].maintenanceMargin == 0.05)
        #expect(states[1].manual == nil)
        #expect(
            states[1].lastGoodPrice == 3012.5 && states[1].lastGoodPriceTime == 999.5 && states[0].lastGoodPrice == nil
        )
    }

    /// Each side's maintenance margin is kept; a row without them (written before they were
    /// stored) or whose larger side is not its one figure (that an older version, in a rolling
    /// upgrade, moved alone) gives that figure, the larger side, to both.
    @Test(arguments: StoreBackendKind.allCases) func marginPerSideRoundTrip(_ backend: StoreBackendKind) async throws {
        let place = try await StorePlace.fresh(backend)
        do {
            let store = try place.open()
            try store.saveMarketStates([
                MarketStateRecord(
                    market: "BTC-USD",
                    maintenanceMargin: 0.06,
                    longMaintenanceMargin: 0.045,
                    shortMaintenanceMargin: 0.06,
                    updatedAt: 1001
                ),
                MarketStateRecord(market: "ETH-USD", maintenanceMargin: 0.07, updatedAt: 1001),
                MarketStateRecord(
                    market: "SOL-USD",
                    maintenanceMargin: 0.09,
                    longMaintenanceMargin: 0.03,
                    shortMaintenanceMargin: 0.04,
                    updatedAt: 1001
                ),
            ])
        }
        let states = try place.open().loadMarketStates()
        #expect(states.map(\.market) == ["BTC-USD", "ETH-USD", "SOL-USD"])
        #expect(states[0].longMaintenanceMargin == 0.045 && states[0].shortMaintenanceMargin == 0.06)
        #expect(states[0].maintenanceSides.map { [$0.long, $0.short] } == [0.045, 0.06])
        #expect(states[1].longMaintenanceMargin == nil && states[1].shortMaintenanceMargin == nil)
        #expect(states[1].maintenanceSides.map { [$0.long, $0.short] } == [0.07, 0.07])
        // Sides left by a newer replica, the figure since moved by an older one: the figure wins.
        #expect(states[2].maintenanceSides.map { [$0.long, $0.short] } == [0.09, 0.09])
    }

    /// An operator's last switch of each source is kept, the newer replacing the older; one made
    /// on a clock behind the last one's is stored 1 ms after it (the last stored is the newest).
    @Test(arguments: StoreBackendKind.allCases) func sourceSwitchRoundTrip(_ backend: StoreBackendKind) async throws {
        let place = try await StorePlace.fresh(backend)
        do {
            let store = try place.open()
            try store.saveSourceSwitch(
                SourceSwitchRecord(market: "ETH-USD", source: "kraken", enabled: false, changedBy: "ops", changedAt: 10)
            )
            try store.saveSourceSwitch(
                SourceSwitchRecord(market: "BTC-USD", source: "okx", enabled: false, changedBy: "ops", changedAt: 11)
            )
            try store.saveSourceSwitch(
                SourceSwitchRecord(market: "ETH-USD", source: "kraken", enabled: true, changedBy: "bob", changedAt: 12)
            )
            try store.saveSourceSwitch(
                SourceSwitchRecord(market: "BTC-USD", source: "okx", enabled: true, changedBy: "eve", changedAt: 5)
            )
        }
        let switches = try place.open().loadSourceSwitches()
        #expect(switches.map(\.market) == ["BTC-USD", "ETH-USD"])
        #expect(switches.map(\.enabled) == [true, true] && switches.map(\.changedBy) == ["eve", "bob"])
        #expect(abs(switches[0].changedAt - 11.001) < 1e-9 && switches[1].changedAt == 12)
    }
}

/// Saving many markets at once (a crash across all of them): every market saved, a market given
/// twice saved as its last record, a manual halt stored on PostgreSQL kept.
struct RiskStateStoreMarketStateBatchTests {
    @Test(arguments: StoreBackendKind.allCases) func thousandsOfMarketsInOneSave(
        _ backend: StoreBackendKind
    ) async throws {
        let place = try await StorePlace.fresh(backend)
        let store = try place.open()
        try store.saveManualHalt(
            market: "M0042",
            halt: ManualHalt(reason: "incident", by: "ops", since: 900, until: nil),
            at: 900
        )
        var states = (0..<2_500).map { i in
            MarketStateRecord(
                market: "M" + String(10_000 + i).dropFirst(),
                maintenanceMargin: 0.05,
                lastGoodPrice: Double(i + 1),
                lastGoodPriceTime: 1000,
                updatedAt: 1000
            )
        }
        states.append(MarketStateRecord(market: "M0007", maintenanceMargin: 0.08, updatedAt: 1001))
        try store.saveMarketStates(states)
        let saved = try place.open().loadMarketStates()
        #expect(saved.count == 2_500)
        #expect(saved.first { $0.market == "M2499" }?.lastGoodPrice == 2_500)
        #expect(saved.first { $0.market == "M0007" }?.maintenanceMargin == 0.08)
        // PostgreSQL keeps the manual halt columns as saveManualHalt wrote them (replicas share
        // them); SQLite's one process saves its whole state.
        if backend == .postgres { #expect(saved.first { $0.market == "M0042" }?.manual?.reason == "incident") }
    }
}
