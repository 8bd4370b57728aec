import BreakwaterEngine
import BreakwaterWire

/// A market as read, with its place in the file and its sources' places (an entry that
/// failed to read is left out, so positions in `config` and in the file can differ).
struct PlacedMarket {
    let config: MarketConfig
    /// Index in the file's `markets` array.
    let index: Int
    /// For each of `config.sources`, its index in the file's `sources` array.
    let sourceIndices: [Int]
    /// Entries in the file's `sources` array; nil when it is missing, empty or not an array.
    let writtenSources: Int?
    /// The id written in each entry of the file's `sources` array that has one, with the
    /// entry's index, including entries that failed to read (so a duplicate id is reported
    /// in the same run as the other entry's own problem).
    let writtenSourceIDs: [(index: Int, id: String)]

    var path: String { "markets[\(index)]" }
    func sourcePath(_ j: Int) -> String { "\(path).sources[\(sourceIndices[j])]" }
}

extension ConfigLoader {
    static func market(
        _ value: JSONValue,
        index: Int,
        aggregation: AggregationParameters,
        margin: MarginParameters,
        breaker: BreakerParameters,
        environment: [String: String],
        sink: IssueSink
    ) -> PlacedMarket? {
        guard var r = ObjectReader(value, path: "markets[\(index)]", sink: sink, required: true) else { return nil }
        let id = r.string("id", required: true)
        if let id { _ = identifier(id, path: r.child("id"), sink: sink) }
        var sources: [SourceConfig] = []
        let sourceValues = r.array("sources", required: true) ?? []
        if case .array([])? = r.object["sources"] { sink.add(r.child("sources"), "must list at least one source") }
        // The engine reports status changes for up to 64 sources per market.
        if sourceValues.count > 64 {
            sink.add(r.child("sources"), "\(sourceValues.count) sources is more than the 64 a market may have")
        }
        var sourceIndices: [Int] = []
        var writtenSourceIDs: [(index: Int, id: String)] = []
        for (j, v) in sourceValues.enumerated() {
            if case let .object(o) = v, case let .string(sid)? = o["id"] { writtenSourceIDs.append((j, sid)) }
            if let s = source(v, path: "\(r.child("sources"))[\(j)]", environment: environment, sink: sink) {
                sources.append(s)
                sourceIndices.append(j)
            }
        }
        let agg = ParameterReaders.aggregation(
            r.raw("aggregation"),
            path: r.child("aggregation"),
            base: aggregation,
            sink: sink
        )
        let mar = ParameterReaders.margin(r.raw("margin"), path: r.child("margin"), base: margin, sink: sink)
        let brk = ParameterReaders.breaker(r.raw("breaker"), path: r.child("breaker"), base: breaker, sink: sink)
        let liquidity = StressReader.liquidity(r.raw("liquidity"), path: r.child("liquidity"), sink: sink)
        r.finish(expected: ["id", "sources", "aggregation", "margin", "breaker", "liquidity"])
        guard let id else { return nil }
        var config = MarketConfig(id: id, sources: sources, aggregation: agg, margin: mar, breaker: brk)
        config.liquidity = liquidity
        return PlacedMarket(
            config: config,
            index: index,
            sourceIndices: sourceIndices,
            writtenSources: sourceValues.isEmpty ? nil : sourceValues.count,
            writtenSourceIDs: writtenSourceIDs
        )
    }

    static func source(
        _ value: JSONValue,
        path: String,
        environment: [String: String],
        sink: IssueSink
    ) -> SourceConfig? {
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
        if let v = r.string("rpcURLEnv") {
            if r.has("rpcURL") {
                sink.add(r.child("rpcURLEnv"), "give rpcURL or rpcURLEnv, not both")
            } else {
                s.rpcURL = secretURL(v, path: r.child("rpcURLEnv"), environment: environment, sink: sink).flatMap {
                    $0.isEmpty ? nil : $0
                }
            }
        }
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
        if kind.needsSymbol && s.symbol == nil && !r.has("symbol") {
            sink.add(r.child("symbol"), "missing (kind \"\(kind.rawValue)\" needs a symbol)")
        }
        if kind == .pyth, let sym = s.symbol, !isHex(sym, digits: 64) {
            sink.add(r.child("symbol"), "\"\(sym)\" is not a Pyth feed id (expected 0x and 64 hex digits)")
        }
        switch kind {
        case .push:
            if s.tokenEnv == nil && !r.has("tokenEnv") {
                sink.add(r.child("tokenEnv"), "missing (a push source names the environment variable of its token)")
            }
            for key in ["intervalMs", "timeoutMs"] where r.has(key) {
                sink.add(r.child(key), "push sources are not polled (leave \(key) out)")
            }
        case .chainlink:
            if s.rpcURL == nil && !r.has("rpcURL") && !r.has("rpcURLEnv") {
                sink.add(
                    r.child("rpcURL"),
                    "missing (kind \"chainlink\" needs a JSON-RPC URL, or rpcURLEnv naming the variable that holds it)"
                )
            }
            if let a = s.address {
                if !isHex(a, digits: 40) {
                    sink.add(r.child("address"), "\"\(a)\" is not an address (expected 0x and 40 hex digits)")
                }
            } else {
                sink.add(r.child("address"), "missing (kind \"chainlink\" needs the aggregator proxy address)")
            }
            if s.heartbeatSeconds == nil && !r.has("heartbeatSeconds") {
                sink.add(r.child("heartbeatSeconds"), "missing (kind \"chainlink\" needs the feed's heartbeat)")
            }
        case .json:
            if s.url == nil && !r.has("url") { sink.add(r.child("url"), "missing (kind \"json\" needs a url)") }
            if let p = s.pricePointer {
                if !isPointer(p) {
                    sink.add(r.child("pricePointer"), "\"\(p)\" is not a JSON pointer (expected /a/b/0)")
                }
            } else {
                sink.add(r.child("pricePointer"), "missing (kind \"json\" needs a JSON pointer to the price)")
            }
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
