import BreakwaterEngine

/// The one-screen summary `breakwater check-config` prints for a valid configuration.
public enum ConfigSummary {
    public static func render(_ c: BreakwaterConfig, path: String) -> String {
        var lines: [String] = []
        lines.append("\(path): valid")
        let host = ConfigLoader.hostForURL(c.server.host)
        lines.append("server  \(host):\(c.server.port)  tick \(c.server.tickMs) ms  clock skew \(c.server.clockSkewMs) ms  admin token $\(c.server.adminTokenEnv ?? "-")  reads \(c.server.protectReads ? "protected" : "open")")
        lines.append("storage \(c.storage.path)")
        lines.append("markets \(c.markets.count), sources \(c.markets.reduce(0) { $0 + $1.sources.count }), webhooks \(c.alerts.webhooks.count)")
        for m in c.markets {
            let a = m.aggregation, g = m.margin, b = m.breaker
            let dev = a.maxDeviation.map { pct($0) } ?? "off"
            lines.append("")
            lines.append("\(m.id)  \(a.method.rawValue) of \(m.sources.count), quorum \(a.minSources), max age \(num(a.maxAgeSeconds)) s, outlier > \(dev)")
            lines.append("  margin   \(g.distribution.rawValue)\(g.distribution == .studentT ? "(\(num(g.tailDegreesOfFreedom)))" : "") \(pct(g.coverage)) over \(num(g.horizonSeconds)) s, floor \(pct(g.maintenanceFloor)), maint/initial \(num(g.maintenanceRatio)), vol seed \(pct(g.initialVolatility))/yr, half-life \(num(g.halfLifeSeconds)) s, rise <= \(pct(g.maxIncreasePerHour))/h, fall <= \(pct(g.maxDecreasePerHour))/h")
            lines.append("  breaker  band +/-\(pct(b.band)) of \(num(b.referenceWindowSeconds)) s mean, limit \(num(b.limitSeconds)) s -> halt \(num(b.haltSeconds)) s; velocity \(pct(b.velocity.move)) in \(num(b.velocity.windowSeconds)) s -> halt \(num(b.velocity.haltSeconds)) s; divergence > \(b.maxDivergence.map(pct) ?? dev); recovery \(num(b.recoverySeconds)) s\(b.maxSpread.map { "; spread > \(pct($0))" } ?? "")")
            let sources = m.sources.map { s in
                "\(s.id)(\(s.kind.rawValue)\(s.kind == .push ? "" : " \(num(Double(s.intervalMs) / 1000)) s")\(s.normalizeBy.map { " x \($0)" } ?? ""))"
            }
            lines.append("  sources  " + sources.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
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
