import BreakwaterConfig
import BreakwaterWire

/// Slack incoming webhook: `{"text": ...}`, one line.
enum SlackFormat {
    struct Body: Encodable { var text: String }

    static func render(_ n: Notice) -> [UInt8] {
        let a = n.alert
        let tag: String
        switch n.kind {
        case .firing:
            tag = a.severity == .critical ? ":rotating_light: [CRITICAL]" : "[\(a.severity.rawValue.uppercased())]"
        case .reminder: tag = "[STILL FIRING \(a.severity.rawValue.uppercased())]"
        case .resolved: tag = ":white_check_mark: [RESOLVED]"
        }
        return WireJSON.encode(Body(text: "\(tag) \(a.type) \(a.summary)"))
    }
}
