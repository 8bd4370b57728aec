import Testing

@testable import BreakwaterWire

struct RetryAfterTests {
    @Test func delaySecondsAndHTTPDates() {
        #expect(RetryAfter.seconds("120", now: 0) == 120)
        #expect(RetryAfter.seconds(" 7\t", now: 0) == 7)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_767) == 10)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_800) == 0)
        #expect(RetryAfter.seconds("soon", now: 0) == nil)
        #expect(RetryAfter.seconds("9999999999999", now: 0) == nil)
        #expect(RetryAfter.seconds("Sun, 32 Nov 1994 08:49:37 GMT", now: 0) == nil)
    }

    @Test func delaySecondsToSendAreWholeAndAtLeastOne() {
        #expect(RetryAfter.delaySeconds(0) == 1)
        #expect(RetryAfter.delaySeconds(0.2) == 1)
        #expect(RetryAfter.delaySeconds(1.01) == 2)
        #expect(RetryAfter.delaySeconds(-5) == 1)
        #expect(RetryAfter.delaySeconds(1e300) == RetryAfter.maxDelaySeconds)
        #expect(RetryAfter.delaySeconds(.infinity) == RetryAfter.maxDelaySeconds)
        #expect(RetryAfter.delaySeconds(.nan) == RetryAfter.maxDelaySeconds)
        // What is sent is read back as sent.
        #expect(RetryAfter.seconds(String(RetryAfter.delaySeconds(41.3)), now: 0) == 42)
    }
}
