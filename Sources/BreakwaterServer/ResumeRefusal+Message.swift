import BreakwaterEngine
import BreakwaterWire

extension RiskEngine.ResumeRefusal {
    /// The refusal as the 409 answer words it, times in RFC 3339 UTC.
    var message: String {
        switch self {
        case .unknownMarket: "unknown market"
        case let .oracleUntrusted(cause, at):
            "oracle is untrusted (\(cause.rawValue))"
                + (at.map { "; trusted again at \(RFC3339.format($0)) if it stays healthy" } ?? "")
        case let .warming(until):
            "oracle is untrusted (warming: every source has its max age to deliver after the start); "
                + "resume after \(RFC3339.format(until))"
        }
    }
}
