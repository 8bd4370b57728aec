import BreakwaterEngine

#if canImport(FoundationEssentials)
import BreakwaterWire
public import FoundationEssentials
#else
import Foundation
#endif

/// Loads and validates `config.json`, reporting every problem at once.
public enum ConfigLoader {
    /// Environment variables that override the file (containers need them).
    public static let pathVariable = "BREAKWATER_CONFIG"
    public static let hostVariable = "BREAKWATER_HOST"
    public static let portVariable = "BREAKWATER_PORT"

    static let topKeys = ["server", "storage", "defaults", "markets", "alerts", "stress", "systemic"]
    static let serverKeys = [
        "host", "port", "clockSkewMs", "tickMs", "adminTokenEnv", "readTokenEnv", "positionsTokenEnv", "protectReads",
        "publicURL",
        "pushRequestsPerSecond", "adminRequestsPerSecond", "maxConnections",
    ]
    static let sourceKeys = [
        "id", "kind", "symbol", "intervalMs", "timeoutMs", "baseURL", "normalizeBy", "tokenEnv",
        "rpcURL", "rpcURLEnv", "address", "heartbeatSeconds", "url", "pricePointer", "timestampPointer",
        "confidencePointer",
    ]

    /// Reads the file at `path`, applies environment overrides, validates.
    public static func load(path: String, environment: [String: String] = [:]) throws -> BreakwaterConfig {
        let data: [UInt8]
        do {
            data = try ConfigFile.contents(of: path)
        } catch {
            throw ConfigError(issues: [ConfigIssue(path: "", message: "cannot read \(path): \(error.reason)")])
        }
        return try parse(Data(data), environment: environment)
    }

    /// Parses and validates JSON text.
    public static func parse(_ data: Data, environment: [String: String] = [:]) throws -> BreakwaterConfig {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw ConfigError(issues: [
                ConfigIssue(
                    path: error.path,
                    message: "not valid JSON at line \(error.line), column \(error.column): \(error.message)"
                )
            ])
        }
        let sink = IssueSink()
        let config = read(root, sink: sink, environment: environment)
        if !sink.issues.isEmpty { throw ConfigError(issues: sink.inDocumentOrder(of: data)) }
        return config
    }

    static func read(_ root: JSONValue, sink: IssueSink, environment: [String: String]) -> BreakwaterConfig {
        var config = BreakwaterConfig(
            server: ServerConfig(),
            storage: StorageConfig(),
            markets: [],
            alerts: AlertsConfig()
        )
        guard var top = ObjectReader(root, path: "", sink: sink, required: true) else { return config }
        config.server = server(top.raw("server"), sink: sink)
        config.storage = StorageReader.read(top.raw("storage"), sink: sink, environment: environment)
        var aggregation = AggregationParameters()
        var margin = MarginParameters()
        var breaker = BreakerParameters()
        let defaults = top.raw("defaults")
        if var d = ObjectReader(defaults, path: "defaults", sink: sink) {
            aggregation = ParameterReaders.aggregation(
                d.raw("aggregation"),
                path: "defaults.aggregation",
                base: aggregation,
                sink: sink
            )
            margin = ParameterReaders.margin(d.raw("margin"), path: "defaults.margin", base: margin, sink: sink)
            breaker = ParameterReaders.breaker(d.raw("breaker"), path: "defaults.breaker", base: breaker, sink: sink)
            d.finish(expected: ["aggregation", "margin", "breaker"])
        }
        let marketValues = top.array("markets", required: true) ?? []
        if marketValues.isEmpty, top.has("markets") { sink.add("markets", "must list at least one market") }
        var placed: [PlacedMarket] = []
        for (i, value) in marketValues.enumerated() {
            if let m = market(
                value,
                index: i,
                aggregation: aggregation,
                margin: margin,
                breaker: breaker,
                environment: environment,
                sink: sink
            ) {
                placed.append(m)
                config.markets.append(m.config)
            }
        }
        config.alerts = AlertsReader.read(
            top.raw("alerts"),
            marketIDs: Set(config.markets.map(\.id)),
            environment: environment,
            sink: sink
        )
        config.stress = StressReader.read(top.raw("stress"), sink: sink)
        config.systemic = SystemicReader.read(top.raw("systemic"), sink: sink)
        top.finish(expected: topKeys)
        MarketChecks(values: marketValues, defaults: defaults, sink: sink).check(placed)
        PushIdentityChecks(server: config.server, sink: sink).check(placed)
        // The engine notices staleness, quorum loss and expiring halts on its tick.
        if let fastest = placed.min(by: { $0.config.aggregation.maxAgeSeconds < $1.config.aggregation.maxAgeSeconds }),
            Double(config.server.tickMs) > fastest.config.aggregation.maxAgeSeconds * 1000
        {
            sink.add(
                "server.tickMs",
                "\(config.server.tickMs) is longer than \(fastest.path).aggregation.maxAgeMs "
                    + "\(format(fastest.config.aggregation.maxAgeSeconds * 1000)) (staleness would be noticed up to a tick late)"
            )
        }
        applyEnvironment(&config, environment: environment, sink: sink)
        for issue in TokenVariables.problems(in: config, environment: environment) {
            sink.add(issue.path, issue.message)
        }
        return config
    }

    static func server(_ value: JSONValue?, sink: IssueSink) -> ServerConfig {
        var s = ServerConfig()
        guard var r = ObjectReader(value, path: "server", sink: sink) else { return s }
        if let v = r.string("host"), isHost(v, path: r.child("host"), sink: sink) { s.host = v }
        if let v = r.integer("port", 0...65535) { s.port = v }
        if let v = r.integer("clockSkewMs", 0...600_000) { s.clockSkewMs = v }
        if let v = r.integer("tickMs", 10...60_000) { s.tickMs = v }
        if let v = r.string("adminTokenEnv") {
            s.adminTokenEnv = envName(v, path: r.child("adminTokenEnv"), sink: sink)
        }
        if let v = r.string("readTokenEnv") { s.readTokenEnv = envName(v, path: r.child("readTokenEnv"), sink: sink) }
        if let v = r.string("positionsTokenEnv") {
            s.positionsTokenEnv = envName(v, path: r.child("positionsTokenEnv"), sink: sink)
        }
        if let v = r.bool("protectReads") { s.protectReads = v }
        if let v = r.string("publicURL") { s.publicURL = httpURL(v, path: r.child("publicURL"), sink: sink) }
        if let v = r.number("pushRequestsPerSecond", 0...1_000_000, exclusiveLower: true) {
            s.pushRequestsPerSecond = v
        }
        if let v = r.number("adminRequestsPerSecond", 0...10_000, exclusiveLower: true) { s.adminRequestsPerSecond = v }
        if let v = r.integer("maxConnections", 1...1_000_000) { s.maxConnections = v }
        r.finish(expected: serverKeys)
        if let v = s.positionsTokenEnv, v == s.adminTokenEnv || v == s.readTokenEnv {
            sink.add(
                "server.positionsTokenEnv",
                "\(v) is also \(v == s.adminTokenEnv ? "adminTokenEnv" : "readTokenEnv"); the positions token must be its own"
            )
        }
        if s.protectReads && s.readTokenEnv == nil && s.adminTokenEnv == nil {
            sink.add("server.protectReads", "true needs readTokenEnv or adminTokenEnv to name a token")
        }
        return s
    }

    static func applyEnvironment(_ config: inout BreakwaterConfig, environment: [String: String], sink: IssueSink) {
        if let host = environment[hostVariable], !host.isEmpty, isHost(host, path: "env \(hostVariable)", sink: sink) {
            config.server.host = host
        }
        if let port = environment[portVariable], !port.isEmpty {
            if let p = Int(port), (0...65535).contains(p) {
                config.server.port = p
            } else {
                sink.add("env \(portVariable)", "\"\(port)\" is not a port number (expected 0...65535)")
            }
        }
    }

    /// Checks an environment variable name (secrets are named, never written in the file).
    static func envName(_ name: String, path: String, sink: IssueSink) -> String? {
        let ok =
            name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        if !ok {
            sink.add(
                path,
                "\(PrintableText.quoted(name)) is not an environment variable name (expected letters, digits and _)"
            )
        }
        return ok ? name : nil
    }

    /// An http(s) URL written in the file; credentials in it are refused (secrets are named by
    /// environment variable, never written in the file).
    static func httpURL(_ s: String, path: String, sink: IssueSink) -> String? {
        guard let u = parsedHTTPURL(s) else {
            sink.add(path, "\(PrintableText.quoted(s)) is not an http(s) URL")
            return nil
        }
        if u.user != nil || u.password != nil {
            sink.add(path, "the URL holds credentials (user:password@); keep them out of the file")
            return nil
        }
        return s
    }

    /// The http(s) URL held by the environment variable `name` (for URLs that are secrets,
    /// such as a Slack webhook's), "" when it is not set: like other secrets, that is reported
    /// where the URL is used (at start-up and on each try), so a configuration can be checked
    /// without its secrets. Errors never print the value.
    static func secretURL(_ name: String, path: String, environment: [String: String], sink: IssueSink) -> String? {
        guard envName(name, path: path, sink: sink) != nil else { return nil }
        guard let value = EnvironmentSecret.value(name, in: environment) else { return "" }
        guard parsedHTTPURL(value) != nil else {
            sink.add(path, "the value of \(name) is not an http(s) URL")
            return nil
        }
        return value
    }

    /// `s` as a URL when it is http(s) with a host.
    private static func parsedHTTPURL(_ s: String) -> URL? {
        guard let u = URL(string: s), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = u.host, !host.isEmpty
        else { return nil }
        return u
    }

    /// Whether `path` names a directory (through symlinks).
    static func isDirectory(_ path: String) -> Bool {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return (try? FileManager.default.attributesOfItem(atPath: resolved)[.type] as? FileAttributeType)
            == .typeDirectory
    }

    /// A host to listen on: an IPv4 or IPv6 address or a DNS name.
    static func isHost(_ h: String, path: String, sink: IssueSink) -> Bool {
        let ok: Bool
        if h.contains(":") {
            ok = h.count <= 45 && h.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        } else {
            let labels = h.split(separator: ".", omittingEmptySubsequences: false)
            // A name whose last label is all digits is meant as an IPv4 address (no top-level
            // domain is numeric): then it must be one, four numbers of at most 255 (256.1.1.1 is not).
            let numeric =
                labels.last.map { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) } ?? false
            if numeric {
                ok =
                    labels.count == 4
                    && labels.allSatisfy { l in
                        !l.isEmpty && l.count <= 3 && l.allSatisfy { $0.isASCII && $0.isNumber }
                            && Int(l).map { $0 <= 255 } == true
                    }
            } else {
                ok =
                    h.count <= 253
                    && labels.allSatisfy { l in
                        !l.isEmpty && l.count <= 63 && l.first != "-" && l.last != "-"
                            && l.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
                    }
            }
        }
        if !ok {
            sink.add(
                path,
                "\(PrintableText.quoted(h)) is not a host (expected an IP address such as 127.0.0.1 or a host name)"
            )
        }
        return ok
    }

    /// Longest id (market, source, webhook): ids go into alert fingerprints, and PagerDuty's
    /// `dedup_key` holds at most 255 characters.
    static let maxIdentifierLength = 64

    static func identifier(_ s: String, path: String, sink: IssueSink) -> Bool {
        let ok = s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
        if !ok { sink.add(path, "\(PrintableText.quoted(s)) may contain only letters, digits, '-', '_', '.' and ':'") }
        guard s.count <= maxIdentifierLength else {
            sink.add(path, "an id of at most \(maxIdentifierLength) characters (this one has \(s.count))")
            return false
        }
        return ok
    }
}
