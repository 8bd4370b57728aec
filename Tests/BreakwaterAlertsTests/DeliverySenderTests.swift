import BreakwaterEngine
import BreakwaterWire
import Testing

@testable import BreakwaterAlerts

/// How one answer is classified, and how secrets are read from the environment.
struct DeliverySenderTests {
    @Test func retryAfterIsSecondsOrAnHTTPDate() {
        let now = RFC3339.parse("2026-12-03T14:00:00Z")!
        #expect(
            DeliverySender.classify(status: 429, retryAfter: "Thu, 03 Dec 2026 14:00:20 GMT", now: now)
                == .retry(status: 429, error: "HTTP 429", retryAfter: 20)
        )
        #expect(
            DeliverySender.classify(status: 503, retryAfter: " 7 ", now: now)
                == .retry(status: 503, error: "HTTP 503", retryAfter: 7)
        )
        #expect(
            DeliverySender.classify(status: 503, retryAfter: "soon", now: now)
                == .retry(status: 503, error: "HTTP 503", retryAfter: nil)
        )
        // A date in the past means now.
        #expect(
            DeliverySender.classify(status: 429, retryAfter: "Thu, 03 Dec 2026 13:00:00 GMT", now: now)
                == .retry(status: 429, error: "HTTP 429", retryAfter: 0)
        )
    }

    @Test func redirectsRetryAndOtherClientErrorsStop() {
        #expect(
            DeliverySender.classify(status: 301, retryAfter: nil, location: "https://example.test/new", now: 0)
                == .retry(
                    status: 301,
                    error:
                        "HTTP 301 redirect to https://example.test/new not followed: set the destination URL to the final address",
                    retryAfter: nil
                )
        )
        #expect(
            DeliverySender.classify(status: 404, retryAfter: nil, now: 0)
                == .stop(status: 404, error: "HTTP 404 (not retried)")
        )
        #expect(DeliverySender.classify(status: 204, retryAfter: nil, now: 0) == .delivered(status: 204))
    }

    @Test func secretsLoseTheLineBreakAFileLeaves() {
        let sender = DeliverySender(
            client: DeliveryWorker.notificationClient,
            environment: ["S": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", "EMPTY": " \n"]
        )
        #expect(sender.variable("S") == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(sender.variable("EMPTY") == nil)
        #expect(sender.variable("UNSET") == nil)
        #expect(sender.variable(nil) == nil)
    }
}
