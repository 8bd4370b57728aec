import Foundation
import Logging
import Synchronization
import Testing

@testable import BreakwaterServer

/// Text log lines: a value cannot add fields or lines.
struct TextLogHandlerTests {
    /// Logs one event through a `TextLogHandler` and returns its line.
    func line(_ message: Logger.Message, _ metadata: Logger.Metadata) -> String {
        final class Lines: Sendable { let text = Mutex("") }
        let lines = Lines()
        let handler = TextLogHandler(label: "breakwater") { line in lines.text.withLock { $0 += line } }
        var logger = Logger(label: "breakwater") { _ in handler }
        logger.logLevel = .info
        logger.notice(message, metadata: metadata)
        return lines.text.withLock { $0 }
    }

    @Test func anInjectingActorStaysOneQuotedValue() {
        let text = line(
            "operator action",
            ["audit": "true", "actor": "alice action=resume market=ETH-USD", "action": "halt", "market": "BTC-USD"]
        )
        #expect(
            text.hasSuffix(
                " notice breakwater: action=halt actor=\"alice action=resume market=ETH-USD\" audit=true market=BTC-USD [BreakwaterServerTests] operator action\n"
            ),
            "\(text)"
        )
        // Outside its quotes, the line has the four fields it was given and no more.
        let unquoted = text.replacingOccurrences(of: #""[^"]*""#, with: "\"\"", options: .regularExpression)
        #expect(unquoted.components(separatedBy: "=").count - 1 == 4, "\(unquoted)")
    }

    @Test func quotesBackslashesControlsAndCombinedQuotes() {
        // A quote followed by a combining mark is one Character but still a quote to a reader.
        let text = line("x\ny", ["reason": "a \"\u{301}b c\\d\ne\u{2028}f\u{200B}", "empty": ""])
        #expect(
            text.contains(
                #"empty="" reason="a \""# + "\u{301}"
                    + #"b c\\d\u{a}e\u{2028}f\u{200b}" [BreakwaterServerTests] x\u{a}y"#
            ),
            "\(text)"
        )
        #expect(text.filter { $0 == "\n" }.count == 1)
    }
}
