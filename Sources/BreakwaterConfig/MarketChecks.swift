import BreakwaterEngine
import BreakwaterWire

/// Checks that span fields or markets: duplicate ids, quorum versus sources, thresholds that
/// contradict each other, normalizeBy targets and cycles, USDT-quoted venues in USD markets.
///
/// Each issue names the place to fix: the market's own key when the market sets it, the
/// `defaults` key when the value comes from there (reported once, not once per market).
struct MarketChecks {
    /// The file's `markets` array and `defaults` block, as written.
    let values: [JSONValue]
    let defaults: JSONValue?
    let sink: IssueSink

    /// Longest list of market ids quoted in one message.
    static let listedIDs = 8

    func check(_ placed: [PlacedMarket]) {
        // Every id written in the file, including markets that failed to read (their own
        // errors are reported; naming them in normalizeBy is not another error).
        var writtenIDs: [String] = []
        for v in values { if case let .object(o) = v, case let .string(id)? = o["id"] { writtenIDs.append(id) } }
        let known = Set(writtenIDs)
        var first: [String: Int] = [:]
        for m in placed {
            let id = m.config.id
            if let f = first[id] {
                sink.add("\(m.path).id", "duplicate market id \(PrintableText.quoted(id)) (also markets[\(f)])")
            } else {
                first[id] = m.index
            }
            checkSources(m, known: known, writtenIDs: writtenIDs)
            checkThresholds(m)
        }
        checkCycles(placed)
    }

    private func checkSources(_ m: PlacedMarket, known: Set<String>, writtenIDs: [String]) {
        var seen: Set<String> = []
        for (j, id) in m.writtenSourceIDs where !seen.insert(id).inserted {
            sink.add("\(m.path).sources[\(j)].id", "duplicate source id \(PrintableText.quoted(id)) in \(m.config.id)")
        }
        let maxAgeMs = m.config.aggregation.maxAgeSeconds * 1000
        for (j, s) in m.config.sources.enumerated() {
            let path = m.sourcePath(j)
            if let n = s.normalizeBy {
                if n == m.config.id {
                    sink.add("\(path).normalizeBy", "a market cannot normalize by itself")
                } else if !known.contains(n) {
                    sink.add(
                        "\(path).normalizeBy",
                        "unknown market \(PrintableText.quoted(n)) (expected one of \(Self.list(writtenIDs)))"
                    )
                }
            } else if let quote = Self.stablecoinQuote(s), m.config.id.uppercased().hasSuffix("-USD") {
                sink.add(
                    "\(path).normalizeBy",
                    "missing: \(s.symbol ?? "") is quoted in \(quote) and \(m.config.id) in USD; "
                        + "name a \(quote)-USD market here (a \(quote) price in a USD median imports the stablecoin's basis, "
                        + "which in a depeg looks like divergence)"
                )
            }
            if s.kind != .push, Double(s.intervalMs) >= maxAgeMs {
                // Fresh means younger than max age: polled every maxAgeMs, a quote is stale at
                // the instant the next one is due, and stays so while the next poll is in flight.
                sink.add(
                    "\(path).intervalMs",
                    "\(s.intervalMs) is not shorter than the market's aggregation.maxAgeMs "
                        + "\(format(maxAgeMs)) (its quote would be stale before the next poll answers; expected intervalMs < maxAgeMs, "
                        + "with room for the poll's timeoutMs)"
                )
            }
        }
    }

    private func checkThresholds(_ m: PlacedMarket) {
        let a = m.config.aggregation
        let g = m.config.margin
        let b = m.config.breaker
        if let written = m.writtenSources, a.minSources > written {
            let from =
                origin(m, "aggregation", "minSources").map { $0.hasPrefix("defaults") ? " (from \($0))" : "" } ?? ""
            sink.add(
                "\(m.path).aggregation.minSources",
                "quorum \(a.minSources)\(from) is larger than the market's \(written) source(s)"
            )
        }
        if let dev = a.maxDeviation, let div = b.maxDivergence, div < dev {
            sink.add(
                place(m, ("breaker", "maxDivergence"), ("aggregation", "maxDeviation")),
                "breaker.maxDivergence \(format(div)) is below aggregation.maxDeviation \(format(dev)) (expected maxDivergence >= maxDeviation)"
            )
        }
        if g.horizonSeconds < g.sampleSeconds {
            sink.add(
                place(m, ("margin", "horizonSeconds"), ("margin", "sampleSeconds")),
                "margin.horizonSeconds \(format(g.horizonSeconds)) is shorter than margin.sampleSeconds \(format(g.sampleSeconds))"
            )
        }
        if g.minHistorySamples > g.historySamples {
            sink.add(
                place(m, ("margin", "minHistorySamples"), ("margin", "historySamples")),
                "margin.minHistorySamples \(g.minHistorySamples) is above margin.historySamples \(g.historySamples) (the empirical quantile would never take over)"
            )
        }
    }

    /// normalizeBy cycles, each reported once at the source that closes it (depth-first
    /// search, linear in markets and sources).
    private func checkCycles(_ placed: [PlacedMarket]) {
        var indexOf: [String: Int] = [:]
        for (k, m) in placed.enumerated() where indexOf[m.config.id] == nil { indexOf[m.config.id] = k }
        let edges = placed.map { m in
            m.config.sources.enumerated().compactMap { j, s -> (target: Int, source: Int)? in
                guard let n = s.normalizeBy, n != m.config.id, let t = indexOf[n] else { return nil }
                return (t, j)
            }
        }
        var color = [UInt8](repeating: 0, count: placed.count)  // 0 new, 1 on the path, 2 done
        var reported: Set<[String]> = []
        for root in placed.indices where color[root] == 0 {
            var path: [(node: Int, next: Int)] = [(root, 0)]
            color[root] = 1
            while let top = path.last {
                guard top.next < edges[top.node].count else {
                    color[top.node] = 2
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let (target, j) = edges[top.node][top.next]
                if color[target] == 1 {
                    let from = path.firstIndex { $0.node == target }!
                    let ids = path[from...].map { placed[$0.node].config.id }
                    if reported.insert(ids.sorted()).inserted {
                        sink.add(
                            "\(placed[top.node].sourcePath(j)).normalizeBy",
                            "normalizeBy forms a cycle: \((ids + [placed[target].config.id]).joined(separator: " -> "))"
                        )
                    }
                } else if color[target] == 0 {
                    color[target] = 1
                    path.append((target, 0))
                }
            }
        }
    }

    // MARK: - Where a value comes from

    /// Where market `m`'s `block.key` is set: its own block, else the defaults block, else
    /// nowhere (a built-in default).
    private func origin(_ m: PlacedMarket, _ block: String, _ key: String) -> String? {
        if values.indices.contains(m.index), Self.sets(values[m.index], block, key) {
            return "\(m.path).\(block).\(key)"
        }
        if let defaults, Self.sets(defaults, block, key) { return "defaults.\(block).\(key)" }
        return nil
    }

    /// The place to report a conflict between two keys: one the market sets, else one the
    /// defaults set, else the first key in the market.
    private func place(_ m: PlacedMarket, _ a: (String, String), _ b: (String, String)) -> String {
        let origins = [origin(m, a.0, a.1), origin(m, b.0, b.1)].compactMap { $0 }
        return origins.first { $0.hasPrefix(m.path) } ?? origins.first ?? "\(m.path).\(a.0).\(a.1)"
    }

    private static func sets(_ value: JSONValue, _ block: String, _ key: String) -> Bool {
        guard case let .object(o) = value, case let .object(b)? = o[block] else { return false }
        return b[key] != nil
    }

    // MARK: - Helpers

    /// Ids for a message, at most `listedIDs` of them.
    static func list(_ ids: [String]) -> String {
        let shown = ids.prefix(listedIDs).map(PrintableText.quoted).joined(separator: ", ")
        return ids.count > listedIDs ? "\(shown), ... (\(ids.count) markets)" : shown
    }

    /// The stablecoin a venue symbol is quoted in (`BTCUSDT`, `BTC-USDT`: USDT), for the kinds
    /// whose symbols are venue pairs.
    static func stablecoinQuote(_ s: SourceConfig) -> String? {
        let venues: Set<SourceKind> = [.coinbase, .coinbaseExchange, .kraken, .binance, .bitstamp, .okx, .bybit]
        guard venues.contains(s.kind), let symbol = s.symbol?.uppercased() else { return nil }
        return ["USDT", "USDC"].first { symbol.hasSuffix($0) }
    }
}
