import BreakwaterEngine
import BreakwaterWire

/// `GET /healthz` and `GET /readyz`: `{"status": "ok" | "ready" | "not_ready", "reason": ...}`,
/// `reason` only when not ready.
struct StatusDocument: Encodable {
    var status: String
    var reason: String? = nil
}

/// `GET /v1/markets/{id}/history`: `points` are rows in the order of `columns`: time (RFC 3339
/// UTC), price (null when the market had none), maintenance and target margin (fractions),
/// band reference, lower and upper edge (null before a reference), breaker state, and the
/// deviation of each source in `sources` from the median (fractions, null where a source had
/// no fresh quote).
struct HistoryDocument: Encodable {
    let id: String
    let history: MarketHistory

    enum Key: String, CodingKey { case id, columns, sources, points }

    static let columns = [
        "time", "price", "maintenance", "target", "reference", "lower", "upper", "state", "deviations",
    ]

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(id, forKey: .id)
        try c.encode(Self.columns, forKey: .columns)
        try c.encode(history.sourceIDs, forKey: .sources)
        var rows = c.nestedUnkeyedContainer(forKey: .points)
        for (k, p) in history.samples.enumerated() {
            var row = rows.nestedUnkeyedContainer()
            try row.encode(RFC3339.format(p.time))
            for value in [p.price, p.maintenance, p.target, p.reference, p.lower, p.upper] {
                if let value, value.isFinite { try row.encode(value) } else { try row.encodeNil() }
            }
            try row.encode(p.state.rawValue)
            try row.encode(history.deviations(at: k))
        }
    }
}

/// `POST /v1/prices` (202): how many quotes were accepted and why each refused one was, by its
/// index in the request.
struct PushResultDocument: Encodable {
    struct Rejection: Encodable {
        var index: Int
        var reason: String
    }
    var accepted: Int
    var rejected: [Rejection]
}
