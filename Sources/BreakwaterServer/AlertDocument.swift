import BreakwaterStore
import BreakwaterWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One alert as the API serves it (docs/openapi.json, `Alert`): every key written, null when
/// it has no value, times RFC 3339 UTC. `data` is the stored details, written back as read;
/// stored text that is not JSON (a damaged row) is served as a JSON string rather than dropped.
/// With `notifications`, the alert of `GET /v1/alerts/{id}`.
struct AlertDocument: Encodable {
    let record: AlertRecord
    var notifications: [AlertDetail.Notification]? = nil

    enum Key: String, CodingKey {
        case id, fingerprint, type, market, source, severity, status, startsAt, endsAt, summary, data, notifications
        // notifications
        case destination, format, attempts, nextAttemptAt, lastError, history
        // attempts
        case time, statusCode, error
    }

    func encode(to encoder: any Encoder) throws {
        let r = record
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(r.id, forKey: .id)
        try c.encode(r.fingerprint, forKey: .fingerprint)
        try c.encode(r.type, forKey: .type)
        try c.encode(r.market, forKey: .market)
        try c.encodeNullable(r.source, forKey: .source)
        try c.encode(r.severity, forKey: .severity)
        try c.encode(r.status.rawValue, forKey: .status)
        try c.encodeTime(r.startsAt, forKey: .startsAt)
        try c.encodeTime(r.endsAt, forKey: .endsAt)
        try c.encode(r.summary, forKey: .summary)
        if r.data.isEmpty {
            try c.encodeNil(forKey: .data)
        } else if let data = try? JSONValue.parse(Data(r.data.utf8)) {
            try c.encode(data, forKey: .data)
        } else {
            try c.encode(r.data, forKey: .data)
        }
        guard let notifications else { return }
        var list = c.nestedUnkeyedContainer(forKey: .notifications)
        for n in notifications {
            let d = n.delivery
            var item = list.nestedContainer(keyedBy: Key.self)
            try item.encode(d.id, forKey: .id)
            try item.encode(d.destination, forKey: .destination)
            try item.encode(d.format, forKey: .format)
            try item.encode(d.status.rawValue, forKey: .status)
            try item.encode(d.attempts, forKey: .attempts)
            try item.encodeTime(d.status == .pending ? d.nextAttemptAt : nil, forKey: .nextAttemptAt)
            try item.encodeNullable(d.lastError, forKey: .lastError)
            var history = item.nestedUnkeyedContainer(forKey: .history)
            for at in n.attempts {
                var attempt = history.nestedContainer(keyedBy: Key.self)
                try attempt.encodeTime(at.time, forKey: .time)
                if let code = at.statusCode {
                    try attempt.encode(code, forKey: .statusCode)
                } else {
                    try attempt.encodeNil(forKey: .statusCode)
                }
                try attempt.encodeNullable(at.error, forKey: .error)
            }
        }
    }
}

/// `GET /v1/alerts`: a page of alerts and the cursor of the next one (null on the last page).
struct AlertPageDocument: Encodable {
    let alerts: [AlertDocument]
    let nextCursor: String?

    enum Key: String, CodingKey { case alerts, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(alerts, forKey: .alerts)
        try c.encodeNullable(nextCursor, forKey: .nextCursor)
    }
}
