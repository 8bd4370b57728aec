import BreakwaterConfig
import BreakwaterEngine
import BreakwaterStore

/// How a call to ``AlertCenter`` stores what it changed: everything in one transaction at the
/// end of the call (on PostgreSQL each commit costs milliseconds: a crash across hundreds of
/// markets committed alert by alert kept the push that caused it waiting for seconds).
extension AlertCenter {
    /// What a call has changed so far: to store in one transaction, then to log.
    struct Pending {
        /// The alerts, their notifications and the margins announced, in order.
        var stored = AlertBatch()
        /// The alerts that fired or resolved, in order: one log line each once stored.
        var logged: [Alert] = []
    }

    /// Runs `body`, which changes the alert state and records what is to be stored in its
    /// ``Pending``, then stores all of it in one transaction; only then logs each alert and
    /// wakes the delivery worker. When `body` or the store throws, the alert state is put back
    /// as it was (firing, last notices, re-attached, margins announced, held conditions),
    /// nothing is stored or logged, and the next call tries again.
    func storing<T>(_ body: (inout Pending) throws -> T) throws -> T {
        let before = (firing, lastSent, reattached, marginNotified, held)
        var pending = Pending()
        let result: T
        do {
            result = try body(&pending)
            try store.record(pending.stored)
        } catch {
            (firing, lastSent, reattached, marginNotified, held) = before
            throw error
        }
        for a in pending.logged { log(a) }
        if !pending.stored.deliveries.isEmpty { onEnqueue() }
        return result
    }

    /// Adds `a` and one notification per accepting destination (or per destination of `to`) to
    /// `pending`. Returns the destinations notified with the notice time `t` (epoch seconds).
    @discardableResult
    func enqueue(
        _ a: Alert,
        kind: NoticeKind,
        at t: EpochSeconds,
        to: [Destination]? = nil,
        into pending: inout Pending
    ) -> [String: EpochSeconds] {
        var shown = a
        if a.isNotification {
            shown.status = .firing
            shown.endsAt = nil
        }
        let notice = Notice(alert: shown, kind: kind, time: t)
        var sent: [String: EpochSeconds] = [:]
        for d in to ?? destinations.filter({ $0.accepts(a) }) {
            pending.stored.deliveries.append(delivery(of: a, to: d, body: d.render(notice), at: t))
            // PagerDuty opens an incident for every trigger, and a one-shot notification never
            // resolves by itself: its own incident (dedup_key per alert) is closed right after.
            if a.isNotification && d.config.format == .pagerduty {
                let resolved = d.render(Notice(alert: shown, kind: .resolved, time: t))
                pending.stored.deliveries.append(delivery(of: a, to: d, body: resolved, at: t))
            }
            sent[d.id] = t
        }
        pending.stored.alerts.append(a.record)
        return sent
    }

    /// A new notification of `a` to `d` with `body`, enqueued at `t`.
    private func delivery(of a: Alert, to d: Destination, body: [UInt8], at t: EpochSeconds) -> DeliveryRecord {
        DeliveryRecord(
            id: makeID("msg_"),
            alertId: a.id,
            fingerprint: a.fingerprint,
            destination: d.id,
            format: d.config.format.rawValue,
            body: body,
            createdAt: t
        )
    }
}
