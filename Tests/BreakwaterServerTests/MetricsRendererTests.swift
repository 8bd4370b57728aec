import Testing
@testable import BreakwaterServer

struct MetricsRendererTests {
    @Test func labelValuesAreEscapedForTheTextFormat() {
        #expect(MetricsRenderer.escapeLabel(#"a"b\c"#) == #"a\"b\\c"#)
        #expect(MetricsRenderer.escapeLabel("line\nbreak") == #"line\nbreak"#)
        #expect(MetricsRenderer.escapeLabel("BTC-USD") == "BTC-USD")
    }
}
