import BreakwaterWire

/// A push source id names one feeder across markets, and its token identifies it: every push
/// source with one id names the same `tokenEnv`, two ids never share one, and no push source
/// uses the admin or read token's variable. The server finds the source from the token alone,
/// before it reads a body, and a token writes only the markets where its id is configured.
struct PushIdentityChecks {
    let server: ServerConfig
    let sink: IssueSink

    func check(_ placed: [PlacedMarket]) {
        var variableOf: [String: (variable: String, path: String)] = [:]  // id -> its first tokenEnv
        var idOf: [String: (id: String, path: String)] = [:]  // tokenEnv -> its first id
        for m in placed {
            for (j, s) in m.config.sources.enumerated() where s.kind == .push {
                guard let variable = s.tokenEnv else { continue }  // missing or malformed: reported where read
                let path = "\(m.sourcePath(j)).tokenEnv"
                let serverKeys = [
                    ("adminTokenEnv", server.adminTokenEnv), ("readTokenEnv", server.readTokenEnv),
                    ("positionsTokenEnv", server.positionsTokenEnv),
                ]
                if let key = serverKeys.first(where: { $0.1 == variable })?.0 {
                    sink.add(path, "\(variable) is server.\(key); a push source needs a token of its own")
                }
                if let first = variableOf[s.id] {
                    if first.variable != variable {
                        sink.add(
                            path,
                            "push source \(PrintableText.quoted(s.id)) names \(variable) here and \(first.variable) at \(first.path); "
                                + "one push source id is one feeder with one token (name the same variable, or use another id)"
                        )
                    }
                } else {
                    variableOf[s.id] = (variable, path)
                }
                if let first = idOf[variable] {
                    if first.id != s.id {
                        sink.add(
                            path,
                            "\(variable) is already the token of push source \(PrintableText.quoted(first.id)) (\(first.path)); "
                                + "each push source id needs its own token variable"
                        )
                    }
                } else {
                    idOf[variable] = (s.id, path)
                }
            }
        }
    }
}
