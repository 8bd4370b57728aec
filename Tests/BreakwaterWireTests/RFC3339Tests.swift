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
