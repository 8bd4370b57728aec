import Testing
@testable import BreakwaterWire

struct RFC3339Tests {
    @Test func parses() {
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.parse("2024-02-29T12:00:00.5Z") == 1_709_208_000.5)
        #expect(RFC3339.parse("2024-02-29T14:00:00+02:00") == 1_709_208_000)
        #expect(RFC3339.parse("2024-02-29T12:00:00") == nil)
        #expect(RFC3339.parse("2024-13-01T00:00:00Z") == nil)
        #expect(RFC3339.parse("garbage") == nil)
    }

    @Test func formatsUTCWithMilliseconds() {
        #expect(RFC3339.format(1_700_000_039) == "2023-11-14T22:13:59.000Z")
        #expect(RFC3339.format(1_709_208_000.5) == "2024-02-29T12:00:00.500Z")
        #expect(RFC3339.format(-0.001) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.format(.nan) == "invalid")
        #expect(RFC3339.parse(RFC3339.format(1_234_567_890.123)) == 1_234_567_890.123)
    }
}

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

struct EnvironmentSecretTests {
    @Test func valuesAreTrimmedAndBlankIsUnset() {
        let env = ["A": "  s3cret\n", "B": " \n\t", "C": "x y"]
        #expect(EnvironmentSecret.value("A", in: env) == "s3cret")
        #expect(EnvironmentSecret.value("B", in: env) == nil)
        #expect(EnvironmentSecret.value("C", in: env) == "x y")
        #expect(EnvironmentSecret.value("D", in: env) == nil)
        #expect(EnvironmentSecret.value(nil, in: env) == nil)
    }
}
