import BreakwaterEngine
import BreakwaterWire

/// `GET /healthz` and `GET /readyz`: `{"status": "ok" | "ready" | "not_ready", "reason": ...}`,
/// `reason` only when not ready.
struct StatusDocument: Encodable {
    var status: String
    var reason: String? = nil
}

/// `GET /v1/markets/{id}/history`: `points` are `[time, price, maintenance]` rows (RFC 3339 UTC,
/// the price or null when the market had none, maintenance margin as a fraction).
struct HistoryDocument: Encodable {
    let id: String
    let points: [(EpochSeconds, Double?, Double)]

    enum Key: String, CodingKey { case id, columns, points }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(id, forKey: .id)
        try c.encode(["time", "price", "maintenance"], forKey: .columns)
        var rows = c.nestedUnkeyedContainer(forKey: .points)
        for (time, price, maintenance) in points {
            var row = rows.nestedUnkeyedContainer()
            try row.encode(RFC3339.format(time))
            if let price, price.isFinite { try row.encode(price) } else { try row.encodeNil() }
            if maintenance.isFinite { try row.encode(maintenance) } else { try row.encodeNil() }
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
