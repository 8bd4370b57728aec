import BreakwaterAlerts
import Testing

@Suite struct SignatureTests {
    @Test func standardWebhooksVector() throws {
        let sig = try StandardWebhook.signature(
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: Array(#"{"test": 2432232314}"#.utf8)
        )
        #expect(sig == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func verifyChecksToleranceAndBody() throws {
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let header =
            "v0,bogus " + (try StandardWebhook.signature(secret: testSecret, id: "msg_1", timestamp: 1000, body: body))
        #expect(
            StandardWebhook.verify(
                secret: testSecret,
                id: "msg_1",
                timestamp: 1000,
                body: body,
                signatureHeader: header,
                now: 1299
            )
        )
        #expect(
            !StandardWebhook.verify(
                secret: testSecret,
                id: "msg_1",
                timestamp: 1000,
                body: body,
                signatureHeader: header,
                now: 1301
            )
        )
        #expect(
            !StandardWebhook.verify(
                secret: testSecret,
                id: "msg_2",
                timestamp: 1000,
                body: body,
                signatureHeader: header,
                now: 1000
            )
        )
        #expect(
            !StandardWebhook.verify(
                secret: testSecret,
                id: "msg_1",
                timestamp: 1000,
                body: body + [32],
                signatureHeader: header,
                now: 1000
            )
        )
    }

    @Test func badSecretIsRejected() {
        #expect(throws: (any Error).self) { try StandardWebhook.key(fromSecret: "whsec_!!!") }
    }

    @Test func retryScheduleFollowsStandardWebhooks() {
        let p = RetryPolicy(maxAttempts: 8, jitter: 0)
        #expect(p.delay(afterAttempt: 1) == 5)
        #expect(p.delay(afterAttempt: 2) == 300)
        #expect(p.delay(afterAttempt: 3) == 1800)
        #expect(p.delay(afterAttempt: 7) == 36000)
        #expect(p.delay(afterAttempt: 8) == nil)
        #expect(p.delay(afterAttempt: 1, retryAfter: 120) == 120)
        let j = RetryPolicy(jitter: 0.2)
        #expect(j.delay(afterAttempt: 2, random: 1) == 360)
        #expect(j.delay(afterAttempt: 2, random: -1) == 240)
    }
}
