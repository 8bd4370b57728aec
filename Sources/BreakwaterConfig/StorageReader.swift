import BreakwaterWire

/// Reads `storage`: `{"kind": "sqlite", "path": ...}` (the default; the form without `kind`
/// is sqlite) or `{"kind": "postgres", "urlEnv": ...}`, each with `retentionDays`. For
/// postgres, the variable `urlEnv` names must hold a URL that ``DatabaseURL`` reads.
enum StorageReader {
    static func read(_ value: JSONValue?, sink: IssueSink, environment: [String: String]) -> StorageConfig {
        var config = StorageConfig()
        guard var s = ObjectReader(value, path: "storage", sink: sink) else { return config }
        if let kind = s.choice("kind", as: StorageKind.self) { config.kind = kind }
        if let days = s.integer("retentionDays", 1...3650) { config.retentionDays = days }
        switch config.kind {
        case .sqlite:
            if let p = s.string("path") { config.path = p }
            check(path: config.path, sink: sink)
            s.finish(expected: ["kind", "path", "retentionDays"])
        case .postgres:
            if s.raw("path") != nil {
                sink.add("storage.path", "belongs to kind sqlite (kind postgres reads its URL from storage.urlEnv)")
            }
            if let v = s.string("urlEnv"), let name = ConfigLoader.envName(v, path: "storage.urlEnv", sink: sink) {
                config.urlEnv = name
            }
            s.finish(expected: ["kind", "urlEnv", "retentionDays"])
            checkURL(named: config.urlEnv, environment: environment, sink: sink)
        }
        return config
    }

    private static func check(path p: String, sink: IssueSink) {
        if p.isEmpty {
            sink.add("storage.path", "must not be empty (a file path such as data/breakwater.sqlite)")
        } else if p.unicodeScalars.contains(where: \.isControlOrBidiOverride) {
            sink.add("storage.path", "contains a control character (a file path such as data/breakwater.sqlite)")
        } else if ConfigLoader.isDirectory(p) {
            sink.add(
                "storage.path",
                "\"\(p)\" is a directory (expected the database file, e.g. \(p.hasSuffix("/") ? p : p + "/")breakwater.sqlite)"
            )
        }
    }

    private static func checkURL(named name: String, environment: [String: String], sink: IssueSink) {
        guard let url = EnvironmentSecret.value(name, in: environment) else {
            sink.add(
                "storage.urlEnv",
                "environment variable \(name) is not set (expected postgres://user:password@host:5432/database)"
            )
            return
        }
        do { _ = try DatabaseURL(url) } catch {
            sink.add("storage.urlEnv", "environment variable \(name) \(error.description)")
        }
    }
}
