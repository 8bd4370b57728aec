import Testing

@testable import BreakwaterWire

/// The escapes of the text formats outside text is written into.
struct TextEscapingTests {
    @Test func escapingWorksOnScalars() {
        // A quote or a bracket followed by a combining mark is one Character, still a quote to a reader.
        #expect(TextEscaping.html("<\u{338}") == "&lt;\u{338}")
        #expect(TextEscaping.prometheusLabel("\"\u{301}") == "\\\"\u{301}")
        #expect(TextEscaping.logValue("\"\u{301}") == "\"\\\"\u{301}\"")
    }

    @Test func prometheusLabelValues() {
        #expect(TextEscaping.prometheusLabel(#"a"b\c"#) == #"a\"b\\c"#)
        #expect(TextEscaping.prometheusLabel("line\nbreak") == #"line\nbreak"#)
        #expect(TextEscaping.prometheusLabel("BTC-USD") == "BTC-USD")
    }

    @Test func htmlText() {
        #expect(TextEscaping.html(#"<b a="x">&</b>"#) == "&lt;b a=&quot;x&quot;&gt;&amp;&lt;/b&gt;")
        #expect(TextEscaping.html("BTC-USD") == "BTC-USD")
    }

    @Test func logValuesAreBareOnlyWhenUnambiguous() {
        #expect(TextEscaping.logValue("BTC-USD") == "BTC-USD")
        #expect(TextEscaping.logValue("") == "\"\"")
        #expect(TextEscaping.logValue("a=b") == "\"a=b\"")
        #expect(TextEscaping.logValue("a b\n") == "\"a b\\u{a}\"")
        #expect(TextEscaping.logValue(#"c\d"#) == #""c\\d""#)
    }
}
