import Testing

@testable import BreakwaterWire

/// The one number grammar: text numbers (venue strings, CSV) and JSON numbers.
struct DecimalTextTests {
    @Test func textNumbersAreDecimal() {
        for good in ["1", "-2", "+3", "0.5", ".5", "5.", "007", "1e-3", "1.5E+10"] {
            #expect(DecimalText.isDecimal(good), "\(good)")
        }
        for bad in ["", "-", ".", "0x1p16", "1e", "e5", "1.2.3", " 1", "1 ", "1_000", "١٢", "inf", "nan"] {
            #expect(!DecimalText.isDecimal(bad), "\(bad)")
        }
        #expect(DecimalText.decimal("67234.51") == 67234.51)
        #expect(DecimalText.decimal(Substring("x1.25y").dropFirst().dropLast()) == 1.25)
    }

    /// As strict as the JSON reader: a number a Double cannot hold is not read as 0 or infinity.
    @Test func outOfRangeIsRefusedNotRounded() {
        #expect(DecimalText.decimal("1e-400") == nil)
        #expect(DecimalText.decimal("1e400") == nil)
        #expect(DecimalText.decimal("-1e400") == nil)
        #expect(DecimalText.decimal("0e-400") == 0)
        #expect(DecimalText.decimal("5e-324") == Double.leastNonzeroMagnitude)
        #expect(DecimalText.number("1e-400") == nil)
        #expect(DecimalText.number("-Infinity") == -.infinity)
        #expect(DecimalText.number("NaN")?.isNaN == true)
    }

    func scan(
        _ text: String,
        from start: Int = 0,
        _ dialect: DecimalText.Dialect
    ) -> Result<(value: Double, end: Int), DecimalText.Problem> {
        var copy = text
        return copy.withUTF8 { DecimalText.scan(UnsafeRawBufferPointer($0), from: start, dialect) }
    }

    @Test func scansInsideABufferWhereTheNumberEnds() throws {
        let (v, end) = try scan(#"{"p":-12.5e1,"q":1}"#, from: 5, .json).get()
        #expect(v == -125 && end == 12)
        #expect(try scan("[0]", from: 1, .json).get().end == 2)
    }

    @Test func jsonDialectIsRFC8259() {
        let cases: [(String, DecimalText.Problem.Kind, Int)] = [
            ("01", .leadingZero, 1), ("-", .digitAfterMinus, 1), ("+1", .noDigit, 0), (".5", .noDigit, 0),
            ("1.", .digitAfterPoint, 2), ("1e", .digitInExponent, 2), ("1e400", .tooLarge, 0), ("1e-400", .tooSmall, 0),
        ]
        for (text, kind, at) in cases {
            guard case let .failure(p) = scan(text, .json) else {
                Issue.record("\(text) was read")
                continue
            }
            #expect(p.kind == kind && p.at == at, "\(text): \(p)")
        }
        guard case let .failure(p) = scan("1e-400]", .json) else {
            Issue.record("read")
            return
        }
        #expect(p.end == 6)
    }
}
