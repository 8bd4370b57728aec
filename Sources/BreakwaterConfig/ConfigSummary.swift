import BreakwaterEngine

/// The one-screen summary `breakwater check-config` prints for a valid configuration.
///
/// Up to `listedMarkets` markets are listed one by one. Beyond that, markets with the same
/// thresholds are grouped (the largest groups first, `shownGroups` of them), so that a
/// configuration of thousands of markets still fits a screen; `everyMarket` lists them all.
public enum ConfigSummary {
    /// Most markets listed one by one (five lines each: at most 34 lines in all).
    public static let listedMarkets = 6
    /// Most threshold groups shown when markets are grouped.
    static let shownGroups = 4
    /// Most market names shown per group, and source descriptions per group.
    static let shownNames = 6
    static let shownSources = 8

    public static func render(_ c: BreakwaterConfig, path: String, everyMarket: Bool = false) -> String {
        var lines: [String] = []
        lines.append("\(path): valid")
        let host = ConfigLoader.hostForURL(c.server.host)
        lines.append(
            "server  \(host):\(c.server.port)  tick \(c.server.tickMs) ms  clock skew \(c.server.clockSkewMs) ms  admin token $\(c.server.adminTokenEnv ?? "-")  reads \(c.server.protectReads ? "protected" : "open")"
        )
        let storedIn = c.storage.kind == .sqlite ? c.storage.path : "postgres (URL in $\(c.storage.urlEnv))"
        lines.append("storage \(storedIn)  alerts kept \(c.storage.retentionDays) days")
        let grouped = !everyMarket && c.markets.count > listedMarkets
        lines.append(
            "markets \(c.markets.count), sources \(c.markets.reduce(0) { $0 + $1.sources.count }), webhooks \(c.alerts.webhooks.count)"
                + (grouped ? " (grouped by thresholds; check-config --every-market lists each)" : "")
        )
        if grouped {
            lines += groups(c.markets)
        } else {
            for m in c.markets {
                let t = thresholds(m)
                lines += [
                    "", "\(m.id)  \(m.aggregation.method.rawValue) of \(m.sources.count), \(t[0])",
                    "  margin   \(t[1])", "  breaker  \(t[2])",
                    "  sources  " + m.sources.map { "\($0.id)(\(describe($0)))" }.joined(separator: ", "),
                ]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Markets grouped by identical thresholds, largest group first (ties in file order).
    static func groups(_ markets: [MarketConfig]) -> [String] {
        var order: [[String]] = []
        var members: [[String]: [MarketConfig]] = [:]
        for m in markets {
            // Grouped by the values themselves (every key, full precision), shown as text.
            let key = ["\(m.aggregation) \(m.margin) \(m.breaker)", m.aggregation.method.rawValue] + thresholds(m)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(m)
        }
        let ranked = order.enumerated().sorted { a, b in
            let (ca, cb) = (members[a.element]!.count, members[b.element]!.count)
            return ca != cb ? ca > cb : a.offset < b.offset
        }.map(\.element)
        // Groups whose thresholds print alike differ beyond the digits shown: say so.
        var shownAlike: [[String]: Int] = [:]
        for key in order { shownAlike[Array(key.dropFirst()), default: 0] += 1 }
        var lines: [String] = []
        for key in ranked.prefix(shownGroups) {
            let group = members[key]!
            let names = group.prefix(shownNames).map(\.id).joined(separator: ", ")
            let more = group.count > shownNames ? " and \(group.count - shownNames) more" : ""
            let alike =
                shownAlike[Array(key.dropFirst())]! > 1
                ? " (thresholds differ from another group's beyond the digits shown)" : ""
            lines += [
                "", "\(group.count) market\(group.count == 1 ? "" : "s"): \(names)\(more)\(alike)",
                "  aggregation \(key[1]), \(key[2])", "  margin   \(key[3])", "  breaker  \(key[4])",
                "  sources  " + sourceCounts(group),
            ]
        }
        if ranked.count > shownGroups {
            let rest = ranked.dropFirst(shownGroups)
            let count = rest.reduce(0) { $0 + members[$1]!.count }
            lines += [
                "",
                "and \(rest.count) more threshold set\(rest.count == 1 ? "" : "s") covering \(count) market\(count == 1 ? "" : "s")",
            ]
        }
        return lines
    }

    /// The group's sources by kind, interval and conversion, most common first:
    /// `coinbase 2 s (1000), binance 2 s x USDT-USD (1000)`.
    static func sourceCounts(_ group: [MarketConfig]) -> String {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for m in group {
            for s in m.sources {
                let d = describe(s)
                if counts[d] == nil { order.append(d) }
                counts[d, default: 0] += 1
            }
        }
        let ranked = order.enumerated().sorted { a, b in
            counts[a.element]! != counts[b.element]! ? counts[a.element]! > counts[b.element]! : a.offset < b.offset
        }.map(\.element)
        let shown = ranked.prefix(shownSources).map { "\($0) (\(counts[$0]!))" }.joined(separator: ", ")
        let more = ranked.count - shownSources
        return more > 0 ? "\(shown) and \(more) other\(more == 1 ? "" : "s")" : shown
    }

    /// Aggregation (without the method), margin and breaker thresholds, as the summary shows them.
    static func thresholds(_ m: MarketConfig) -> [String] {
        let a = m.aggregation
        let g = m.margin
        let b = m.breaker
        let dev = a.maxDeviation.map { pct($0) } ?? "off"
        return [
            "quorum \(a.minSources), max age \(num(a.maxAgeSeconds)) s, outlier > \(dev), default confidence \(pct(a.defaultConfidence))",
            "\(g.distribution.rawValue)\(g.distribution == .studentT ? "(\(num(g.tailDegreesOfFreedom)))" : "")\(g.distribution == .filteredHistorical ? "(\(g.historySamples) samples, t(\(num(g.tailDegreesOfFreedom))) until \(g.minHistorySamples))" : "") \(pct(g.coverage)) over \(num(g.horizonSeconds)) s, floor \(pct(g.maintenanceFloor)), maint/initial \(num(g.maintenanceRatio)), vol seed \(pct(g.initialVolatility))/yr, sampled every \(num(g.sampleSeconds)) s, half-life \(num(g.halfLifeSeconds)) s, rise <= \(pct(g.maxIncreasePerHour))/h, fall <= \(pct(g.maxDecreasePerHour))/h",
            "band +/-\(pct(b.band)) of \(num(b.referenceWindowSeconds)) s mean, limit \(num(b.limitSeconds)) s -> halt \(num(b.haltSeconds)) s; velocity \(pct(b.velocity.move)) in \(num(b.velocity.windowSeconds)) s -> halt \(num(b.velocity.haltSeconds)) s; divergence > \(b.maxDivergence.map(pct) ?? dev); recovery \(num(b.recoverySeconds)) s\(b.maxSpread.map { "; spread > \(pct($0))" } ?? "")",
        ]
    }

    /// A source's kind, poll interval and conversion: `binance 2 s x USDT-USD`.
    static func describe(_ s: SourceConfig) -> String {
        "\(s.kind.rawValue)\(s.kind == .push ? "" : " \(num(Double(s.intervalMs) / 1000)) s")\(s.normalizeBy.map { " x \($0)" } ?? "")"
    }

    static func pct(_ f: Double) -> String { num(f * 100) + "%" }

    static func num(_ d: Double) -> String {
        if d == d.rounded() && abs(d) < 1e12 { return String(Int(d)) }
        let s = String(format3(d))
        return s
    }

    /// Three decimals; a value those would show as 0 keeps its own digits (1e-06).
    static func format3(_ d: Double) -> String {
        let rounded = (d * 1000).rounded() / 1000
        if rounded == 0 && d != 0 { return "\(d)" }
        var s = String(rounded)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }
}
