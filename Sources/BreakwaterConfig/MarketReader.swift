import BreakwaterEngine

extension ConfigLoader {
    static func market(_ value: JSONValue, path: String, aggregation: AggregationParameters, margin: MarginParameters,
                       breaker: BreakerParameters, sink: IssueSink) -> MarketConfig? {
        guard var r = ObjectReader(value, path: path, sink: sink, required: true) else { return nil }
        let id = r.string("id", required: true)
        if let id { _ = identifier(id, path: r.child("id"), sink: sink) }
        var sources: [SourceConfig] = []
        let sourceValues = r.array("sources", required: true) ?? []
        if sourceValues.isEmpty && r.has("sources") { sink.add(r.child("sources"), "must list at least one source") }
        // The engine reports status changes for up to 64 sources per market.
        if sourceValues.count > 64 { sink.add(r.child("sources"), "\(sourceValues.count) sources is more than the 64 a market may have") }
        for (j, v) in sourceValues.enumerated() {
            if let s = source(v, path: "\(r.child("sources"))[\(j)]", sink: sink) { sources.append(s) }
        }
        let agg = ParameterReaders.aggregation(r.raw("aggregation"), path: r.child("aggregation"), base: aggregation, sink: sink)
        let mar = ParameterReaders.margin(r.raw("margin"), path: r.child("margin"), base: margin, sink: sink)
        let brk = ParameterReaders.breaker(r.raw("breaker"), path: r.child("breaker"), base: breaker, sink: sink)
        r.finish(expected: ["id", "sources", "aggregation", "margin", "breaker"])
        guard let id else { return nil }
        return MarketConfig(id: id, sources: sources, aggregation: agg, margin: mar, breaker: brk)
    }

    static func source(_ value: JSONValue, path: String, sink: IssueSink) -> SourceConfig? {
        guard var r = ObjectReader(value, path: path, sink: sink, required: true) else { return nil }
        let id = r.string("id", required: true)
        if let id { _ = identifier(id, path: r.child("id"), sink: sink) }
        let kind = r.choice("kind", as: SourceKind.self, required: true)
        var s = SourceConfig(id: id ?? "", kind: kind ?? .push, intervalMs: 2000, timeoutMs: 5000)
        s.symbol = r.string("symbol")
        if let v = r.integer("intervalMs", 100...86_400_000) { s.intervalMs = v }
        if let v = r.integer("timeoutMs", 100...120_000) { s.timeoutMs = v }
        if let v = r.string("baseURL") { s.baseURL = httpURL(v, path: r.child("baseURL"), sink: sink) }
        s.normalizeBy = r.string("normalizeBy")
        if let v = r.string("tokenEnv") { s.tokenEnv = envName(v, path: r.child("tokenEnv"), sink: sink) }
        if let v = r.string("rpcURL") { s.rpcURL = httpURL(v, path: r.child("rpcURL"), sink: sink) }
        s.address = r.string("address")
        s.heartbeatSeconds = r.number("heartbeatSeconds", 0...(30 * 86_400), exclusiveLower: true)
        if let v = r.string("url") { s.url = httpURL(v, path: r.child("url"), sink: sink) }
        s.pricePointer = r.string("pricePointer", nonEmpty: false)
        s.timestampPointer = r.string("timestampPointer", nonEmpty: false)
        s.confidencePointer = r.string("confidencePointer", nonEmpty: false)
        r.finish(expected: sourceKeys)
        guard let id, let kind else { return nil }
        checkKindFields(s, kind: kind, reader: r, sink: sink)
        s.id = id
        return s
    }

    /// Fields a kind needs, and fields that make no sense for it.
    static func checkKindFields(_ s: SourceConfig, kind: SourceKind, reader r: ObjectReader, sink: IssueSink) {
        if kind.needsSymbol && s.symbol == nil { sink.add(r.child("symbol"), "missing (kind \"\(kind.rawValue)\" needs a symbol)") }
        if kind == .pyth, let sym = s.symbol, !isHex(sym, digits: 64) {
            sink.add(r.child("symbol"), "\"\(sym)\" is not a Pyth feed id (expected 0x and 64 hex digits)")
        }
        switch kind {
        case .push:
            if s.tokenEnv == nil && !r.has("tokenEnv") { sink.add(r.child("tokenEnv"), "missing (a push source names the environment variable of its token)") }
        case .chainlink:
            if s.rpcURL == nil && !r.has("rpcURL") { sink.add(r.child("rpcURL"), "missing (kind \"chainlink\" needs a JSON-RPC URL)") }
            if let a = s.address { if !isHex(a, digits: 40) { sink.add(r.child("address"), "\"\(a)\" is not an address (expected 0x and 40 hex digits)") } }
            else { sink.add(r.child("address"), "missing (kind \"chainlink\" needs the aggregator proxy address)") }
            if s.heartbeatSeconds == nil && !r.has("heartbeatSeconds") { sink.add(r.child("heartbeatSeconds"), "missing (kind \"chainlink\" needs the feed's heartbeat)") }
        case .json:
            if s.url == nil && !r.has("url") { sink.add(r.child("url"), "missing (kind \"json\" needs a url)") }
            if let p = s.pricePointer { if !isPointer(p) { sink.add(r.child("pricePointer"), "\"\(p)\" is not a JSON pointer (expected /a/b/0)") } }
            else { sink.add(r.child("pricePointer"), "missing (kind \"json\" needs a JSON pointer to the price)") }
            for (key, p) in [("timestampPointer", s.timestampPointer), ("confidencePointer", s.confidencePointer)] {
                if let p, !isPointer(p) { sink.add(r.child(key), "\"\(p)\" is not a JSON pointer (expected /a/b/0)") }
            }
        default:
            break
        }
        if kind != .push, s.tokenEnv != nil { sink.add(r.child("tokenEnv"), "only push sources take a token") }
    }

    static func isHex(_ s: String, digits: Int) -> Bool {
        guard s.hasPrefix("0x") || s.hasPrefix("0X") else { return false }
        let body = s.dropFirst(2)
        return body.count == digits && body.allSatisfy(\.isHexDigit)
    }

    static func isPointer(_ p: String) -> Bool { p.isEmpty || p.hasPrefix("/") }
}

/// Checks that span markets: duplicate ids, quorum versus sources, normalizeBy targets and cycles.
enum MarketChecks {
    static func crossCheck(_ markets: [MarketConfig], values: [JSONValue], sink: IssueSink) {
        var seen: [String: Int] = [:]
        // Map each market back to its position in the file (some may have failed to read).
        var position: [String: Int] = [:]
        for (i, v) in values.enumerated() {
            if case let .object(o) = v, case let .string(id)? = o["id"], position[id] == nil { position[id] = i }
        }
        for m in markets {
            let i = position[m.id] ?? 0
            let path = "markets[\(i)]"
            if let first = seen[m.id] { sink.add("\(path).id", "duplicate market id \"\(m.id)\" (also markets[\(first)])") }
            else { seen[m.id] = i }
            var sourceSeen: Set<String> = []
            for (j, s) in m.sources.enumerated() {
                if !sourceSeen.insert(s.id).inserted { sink.add("\(path).sources[\(j)].id", "duplicate source id \"\(s.id)\" in \(m.id)") }
                if let n = s.normalizeBy {
                    if n == m.id { sink.add("\(path).sources[\(j)].normalizeBy", "a market cannot normalize by itself") }
                    else if !markets.contains(where: { $0.id == n }) {
                        sink.add("\(path).sources[\(j)].normalizeBy", "unknown market \"\(n)\" (expected one of \(markets.map { "\"\($0.id)\"" }.joined(separator: ", ")))")
                    }
                }
            }
            // Count the sources as written, so a source with its own error does not also shrink the quorum check.
            var written = m.sources.count
            if case let .object(o)? = values.indices.contains(i) ? values[i] : nil, case let .array(a)? = o["sources"] { written = a.count }
            if m.aggregation.minSources > written {
                sink.add("\(path).aggregation.minSources", "quorum \(m.aggregation.minSources) is larger than the market's \(written) source(s)")
            }
            if let dev = m.aggregation.maxDeviation, let div = m.breaker.maxDivergence, div < dev {
                sink.add("\(path).breaker.maxDivergence", "\(format(div)) is below aggregation.maxDeviation \(format(dev)) (expected >= it)")
            }
            if m.margin.horizonSeconds < m.margin.sampleSeconds {
                sink.add("\(path).margin.horizonSeconds", "\(format(m.margin.horizonSeconds)) is shorter than sampleSeconds \(format(m.margin.sampleSeconds))")
            }
        }
        // normalizeBy cycles.
        let edges = Dictionary(markets.map { m in (m.id, Set(m.sources.compactMap(\.normalizeBy))) }, uniquingKeysWith: { $0.union($1) })
        var reported: Set<String> = []
        for m in markets {
            var stack = [(m.id, [m.id])]
            var visited: Set<String> = []
            while let (node, trail) = stack.popLast() {
                for next in edges[node] ?? [] where next != node {
                    if next == m.id {
                        let cycle = (trail + [next]).joined(separator: " -> ")
                        if reported.insert(Set(trail).sorted().joined()).inserted {
                            sink.add("markets[\(position[m.id] ?? 0)].sources", "normalizeBy forms a cycle: \(cycle)")
                        }
                    } else if visited.insert(next).inserted {
                        stack.append((next, trail + [next]))
                    }
                }
            }
        }
    }
}
