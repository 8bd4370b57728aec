import BreakwaterEngine
import BreakwaterStore
import BreakwaterWire
import Testing

@testable import BreakwaterAlerts

/// What an on-call engineer reads at 3 a.m.: the numbers that explain the alert, and advice
/// that fits it.
struct AlertSummaryTests {
    static let market = MarketParameters(
        id: "BTC-USD",
        sources: (0..<5).map { SourceParameters(id: "v\($0)", kind: "push") },
        aggregation: .init(minSources: 3, maxAgeSeconds: 10, maxDeviation: 0.02),
        margin: .init(horizonSeconds: 600),
        breaker: .init()
    )

    /// An engine fed five agreeing sources for a minute from t = 0 (warming over).
    static func engine() throws -> RiskEngine {
        var e = try RiskEngine(markets: [market], start: 0)
        for t in 0..<60 {
            for j in 0..<5 { e.ingest(Quote(market: 0, source: j, price: 100, time: Double(t)), at: Double(t)) }
        }
        _ = e.drainEvents()
        return e
    }

    @Test func anAutomaticHaltSaysWhenItEnds() throws {
        var e = try Self.engine()
        for j in 0..<5 { e.ingest(Quote(market: 0, source: j, price: 80, time: 60), at: 60) }
        let halt = try #require(e.drainEvents().first { $0.kind == .breakerTransition && $0.to == "halted" })
        let s = e.snapshot(market: 0)
        let until = try #require(s.until)
        let c = try #require(AlertRules.breaker(halt, s).first { $0.type == AlertType.halted })
        #expect(c.summary.contains("until \(RFC3339.format(until)) (ends by itself)"), "\(c.summary)")
        #expect(!c.summary.contains("resume manually"))
        #expect(c.details.until == RFC3339.format(until))
    }

    @Test func anOutlierSaysHowFarAndAStaleSourceHowOld() throws {
        var e = try Self.engine()
        e.ingest(Quote(market: 0, source: 4, price: 112, time: 60), at: 60)
        let outlier = try #require(e.drainEvents().first { $0.kind == .sourceStatus && $0.to == "outlier" })
        let c = try #require(AlertRules.source(outlier, e.snapshot(market: 0)))
        #expect(c.summary.contains("v4 is OUTLIER: +12% from the median"), "\(c.summary)")
        #expect(c.summary.contains("4 of 5 sources in the aggregate"), "\(c.summary)")
        for t in 61..<75 {
            for j in 0..<3 { e.ingest(Quote(market: 0, source: j, price: 100, time: Double(t)), at: Double(t)) }
        }
        let stale = try #require(
            e.drainEvents().first { $0.kind == .sourceStatus && $0.source == "v3" && $0.to == "stale" }
        )
        let c2 = try #require(AlertRules.source(stale, e.snapshot(market: 0)))
        #expect(
            c2.summary.contains("v3 is STALE: last quote ") && c2.summary.contains("s old (max age 10 s)"),
            "\(c2.summary)"
        )
    }

    /// Quorum lost: no price, and the last good one with its time beside it, in the summary and
    /// in the data webhooks and GET /v1/alerts carry (issue 17, point 14).
    @Test func aQuorumLostAlertHasNoPriceAndTheLastGoodOneApart() throws {
        var e = try Self.engine()
        e.advance(to: 75)
        let lost = try #require(
            e.drainEvents().first { $0.kind == .breakerTransition && $0.reasons.contains(.quorumLost) }
        )
        let c = try #require(AlertRules.breaker(lost, e.snapshot(market: 0)).first { $0.type == AlertType.quorumLost })
        #expect(c.active)
        #expect(c.details.price == nil && c.details.lastGoodPrice == 100)
        #expect(c.details.lastGoodPriceTime == RFC3339.format(59))
        #expect(c.summary.contains("no price (last good 100 at \(RFC3339.format(59)))"), "\(c.summary)")
        let data = String(decoding: WireJSON.encode(c.details), as: UTF8.self)
        #expect(data.contains(#""lastGoodPrice":100,"lastGoodPriceTime":"1970-01-01T00:00:59.000Z","#), "\(data)")
        #expect(data.contains(#""price":null"#), "\(data)")
        // Stored and read back unchanged.
        let a = Alert(
            id: "alr_1",
            fingerprint: c.fingerprint,
            type: c.type,
            market: c.market,
            source: nil,
            severity: c.severity,
            status: .firing,
            startsAt: 75,
            endsAt: nil,
            summary: c.summary,
            details: c.details,
            updatedAt: 75
        )
        #expect(Alert(record: a.record).details == c.details)
    }
}
