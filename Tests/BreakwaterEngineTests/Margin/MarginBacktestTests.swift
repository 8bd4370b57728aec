import Testing

@testable import BreakwaterEngine

/// The window mechanics of the per-side backtest: non-overlapping windows on the grid, a long's
/// exception on a fall and a short's on a rise, each against its own margin, skipped windows.
struct MarginBacktestTests {
    static func margins(long: Double, short: Double, ratio: Double = 0.5) -> PublishedMargins {
        PublishedMargins(
            longMaintenance: long,
            longInitial: long / ratio,
            shortMaintenance: short,
            shortInitial: short / ratio
        )
    }

    @Test func fallIsALongExceptionAndRiseAShortOne() throws {
        var b = MarginBacktest(horizonSeconds: 100, sampleSeconds: 10, maxAgeSeconds: 30, coverage: 0.99)
        let m = Self.margins(long: 0.05, short: 0.05)
        let nothing1 = b.observe(price: 100, margins: m, at: 0)
        #expect(nothing1 == nil)
        let nothing2 = b.observe(price: 200, margins: m, at: 50)
        #expect(nothing2 == nil)  // inside the window: not looked at
        let downOutcome = b.observe(price: 93, margins: m, at: 100)
        let down = try #require(downOutcome)  // -7 %: long maintenance only
        #expect(down.window.start == 0 && down.window.end == 100 && down.window.endPrice == 93)
        #expect(b.record(.long, .maintenance).exceptions == 1)
        #expect(b.record(.long, .initial).exceptions == 0)
        #expect(b.record(.short, .maintenance).exceptions == 0)
        let closed1 = b.observe(price: 93 * 1.06, margins: m, at: 200)
        #expect(closed1 != nil)  // +6 %: short maintenance only
        #expect(b.record(.short, .maintenance).exceptions == 1)
        #expect(b.record(.long, .maintenance).exceptions == 1)
        // |move| against one margin, as before, would count both moves on both sides.
        #expect(b.windows == 2)
        #expect(b.report[.long, .maintenance].wholeHistory.exceptions == 1)
    }

    /// Each side is judged against its own margin (a model may ask more of one side).
    @Test func eachSideAgainstItsOwnMargin() throws {
        var b = MarginBacktest(horizonSeconds: 60, sampleSeconds: 60, maxAgeSeconds: 30, coverage: 0.99)
        let m = Self.margins(long: 0.03, short: 0.08)
        _ = b.observe(price: 100, margins: m, at: 0)
        let closed2 = b.observe(price: 104, margins: m, at: 60)
        #expect(closed2 != nil)
        #expect(b.record(.short, .maintenance).exceptions == 0)  // +4 % against the short's 8 %
        let closed3 = b.observe(price: 100, margins: m, at: 120)
        #expect(closed3 != nil)
        #expect(b.record(.long, .maintenance).exceptions == 1)  // -3.85 % against the long's 3 %
        let closed4 = b.observe(price: 107, margins: m, at: 180)
        #expect(closed4 != nil)
        #expect(b.record(.short, .maintenance).exceptions == 0)  // +7 %: still inside 8 %
        #expect(b.record(.long, .initial).exceptions == 0)  // -3.85 % against 6 %
    }

    /// A window needs a trusted price within the max age of its end; without one it is skipped,
    /// counted and never compared, and the next window starts at the next trusted price.
    @Test func outageSkipsTheWindowInsteadOfStretchingIt() throws {
        var b = MarginBacktest(horizonSeconds: 100, sampleSeconds: 10, maxAgeSeconds: 30, coverage: 0.99)
        let m = Self.margins(long: 0.05, short: 0.05)
        _ = b.observe(price: 100, margins: m, at: 0)
        let nothing3 = b.observe(price: nil, margins: m, at: 100)
        #expect(nothing3 == nil)  // no price at the end yet
        let nothing4 = b.observe(price: nil, margins: m, at: 125)
        #expect(nothing4 == nil)
        let skippedOutcome = b.observe(price: 50, margins: m, at: 131)
        let skipped = try #require(skippedOutcome)  // 31 s after the end: too late
        #expect(skipped.window.skipped && skipped.window.end == 100)
        #expect(b.skipped == 1 && b.windows == 0)
        #expect(b.openSince == 130)  // the next window starts at the price back, on the grid
        let nothing5 = b.observe(price: 50, margins: m, at: 229)
        #expect(nothing5 == nil)
        let closedOutcome = b.observe(price: 50, margins: m, at: 230)
        let closed = try #require(closedOutcome)
        #expect(!closed.window.skipped && closed.window.start == 130 && closed.window.startPrice == 50)
        // A price within the max age of the end still closes the window, at that price.
        _ = b.observe(price: nil, margins: m, at: 330)
        let lateOutcome = b.observe(price: 40, margins: m, at: 359)
        let late = try #require(lateOutcome)
        #expect(late.window.endPrice == 40 && b.record(.long, .maintenance).exceptions == 1)
        #expect(b.windows == 2 && b.skipped == 1)
    }

    /// Windows open at the start of a grid step and last whole steps; the horizon rounds up.
    @Test func windowsLieOnTheSamplingGrid() throws {
        var b = MarginBacktest(horizonSeconds: 95, sampleSeconds: 10, maxAgeSeconds: 30, coverage: 0.99)
        #expect(b.horizonSeconds == 100)
        let m = Self.margins(long: 0.05, short: 0.05)
        _ = b.observe(price: 100, margins: m, at: 7.5)
        #expect(b.openSince == 0)
        let nothing6 = b.observe(price: 100, margins: m, at: 99.9)
        #expect(nothing6 == nil)
        let wOutcome = b.observe(price: 100, margins: m, at: 101)
        let w = try #require(wOutcome)
        #expect(w.window.start == 0 && w.window.end == 100 && b.openSince == 100)
    }

    /// Five exceptions of the long side in 250 windows turn it yellow (one event, at the fifth),
    /// the short side stays green.
    @Test func zoneChangesPerSide() throws {
        var b = MarginBacktest(horizonSeconds: 10, sampleSeconds: 10, maxAgeSeconds: 5, coverage: 0.99)
        let m = Self.margins(long: 0.01, short: 0.01)
        var price = 100.0
        var changes: [BacktestZoneChange] = []
        _ = b.observe(price: price, margins: m, at: 0)
        for k in 1...260 {
            price *= k % 50 == 0 ? 0.98 : 1.0
            changes += b.observe(price: price, margins: m, at: Double(k) * 10)?.zoneChanges ?? []
        }
        #expect(b.record(.long, .maintenance).exceptions == 5)
        #expect(b.zone(.long) == .yellow && b.zone(.short) == .green)
        #expect(changes.map(\.side) == [.long] && changes.first?.from == .green && changes.first?.to == .yellow)
        #expect(changes.first?.time == 2500 && changes.first?.figures.exceptions == 5)
    }

    /// Stored windows read back after a restart give the same counts.
    @Test func recordingStoredWindowsRestoresTheCounts() throws {
        var live = MarginBacktest(horizonSeconds: 10, sampleSeconds: 10, maxAgeSeconds: 5, coverage: 0.99)
        var stored: [BacktestWindow] = []
        let m = Self.margins(long: 0.01, short: 0.01)
        for k in 0...300 {
            let price: Double? = k % 50 == 7 ? nil : 100 * (k % 9 == 0 ? 1.02 : 1.0)
            if let o = live.observe(price: price, margins: m, at: Double(k) * 10) { stored.append(o.window) }
        }
        var restored = MarginBacktest(horizonSeconds: 10, sampleSeconds: 10, maxAgeSeconds: 5, coverage: 0.99)
        for w in stored { restored.record(w) }
        #expect(restored.report == live.report)
        #expect(restored.skipped > 0 && restored.windows > 250)
    }
}
