import Testing
@testable import BreakwaterEngine

/// The one grammar for numbers written as text, on strings and on bytes.
struct DecimalTextTests {
    static func shape(_ s: String) -> DecimalText.Shape? {
        var s = s
        return s.withUTF8 { DecimalText.shape(UnsafeRawBufferPointer($0)) }
    }

    @Test(arguments: ["0", "-12", "+3", "0.5", ".5", "5.", "1e-3", "1.5E+10", "007", "-0.0e0"])
    func readsDecimalNumbers(_ s: String) {
        #expect(DecimalText.isDecimal(s) && Self.shape(s) != nil, "\(s)")
    }

    @Test(arguments: ["", "-", "+", ".", "e5", "1e", "1e+", "0x1p4", "1_000", " 1", "1 ", "nan", "inf", "1.2.3", "١"])
    func refusesAnythingElse(_ s: String) {
        #expect(!DecimalText.isDecimal(s) && Self.shape(s) == nil, "\(s)")
        #expect(!DecimalText.isDecimal(Substring(s)))
    }

    @Test func describesHowTheNumberIsWritten() {
        #expect(Self.shape("-012.50e3") == .init(sign: UInt8(ascii: "-"), integerDigits: 3, leadingZero: true, fractionDigits: 2, nonzero: true))
        #expect(Self.shape("+.0") == .init(sign: UInt8(ascii: "+"), integerDigits: 0, leadingZero: false, fractionDigits: 1, nonzero: false))
        #expect(Self.shape("7") == .init(sign: nil, integerDigits: 1, leadingZero: false, fractionDigits: nil, nonzero: true))
        #expect(Self.shape("0.000e9")?.nonzero == false && Self.shape("5.")?.fractionDigits == 0)
    }
}
