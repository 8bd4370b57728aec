import Foundation
import Testing

@testable import BreakwaterWire

struct JSONParserTests {
    func parse(_ text: String) -> Result<JSONValue, JSONSyntaxError> {
        Result { () throws(JSONSyntaxError) -> JSONValue in try JSONValue.parse(Data(text.utf8)) }
    }

    func error(_ text: String) -> JSONSyntaxError? {
        if case let .failure(e) = parse(text) { return e }
        return nil
    }

    @Test func readsEveryKindOfValue() throws {
        let v = try parse(
            #" {"a": [1, -2.5e3, 0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"], "b": {}} "#
        ).get()
        #expect(
            v
                == .object([
                    "a": .array([
                        .number(1), .number(-2500), .number(0), .bool(true), .bool(false), .null,
                        .string("x\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}"),
                    ]),
                    "b": .object([:]),
                ])
        )
        // A UTF-8 byte-order mark is skipped; UTF-8 in strings is kept.
        #expect(try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array(#"["é"]"#.utf8))) == .array([.string("é")]))
    }

    @Test func duplicateKeyIsAnErrorWithItsPathAndPlace() throws {
        let e = try #require(error("{\"server\": {\"port\": 8080,\n  \"port\": 99999}}"))
        #expect(e.path == "server.port")
        #expect(e.line == 2 && e.column == 3)
        #expect(e.message.hasPrefix("duplicate key \"port\""))
    }

    @Test func refusesWhatOtherReadersWouldNot() throws {
        let cases: [(String, String)] = [
            ("[1, 2,]", "no comma before ]"),
            ("{\"a\": 1,}", "no comma before }"),
            ("{\"a\": 1} // note", "after the end of the JSON value"),
            ("[1e400]", "too large"),
            ("[-1e400]", "too large"),
            ("[1e-400]", "too small"),
            ("[01]", "may not start with 0"),
            ("[1.]", "after the decimal point"),
            ("[.5]", "expected a value"),
            ("[NaN]", "expected a value"),
            ("[\"a\tb\"]", "control character U+0009"),
            ("[\"\\x\"]", "unknown escape"),
            ("[\"\\ud800\"]", "lone surrogate"),
            ("", "empty document"),
            ("{\"a\": [1, 2", "ends inside an array"),
            ("{\"a\": ", "ends where a value was expected"),
            ("[\"abc", "ends inside a string"),
            ("{'a': 1}", "expected a key in double quotes"),
        ]
        for (text, expected) in cases {
            let e = error(text)
            #expect(e?.message.contains(expected) == true, "\(text): \(String(describing: e))")
        }
        #expect(error(String(repeating: "[", count: 600))?.message.contains("nested deeper than 512") == true)
        #expect(
            try JSONValue.parse(Data((String(repeating: "[", count: 500) + String(repeating: "]", count: 500)).utf8))
                != .null
        )
        let utf16 = try #require(
            Result { () throws(JSONSyntaxError) in try JSONValue.parse(Data([0xFF, 0xFE, 0x5B, 0x00])) }.error
        )
        #expect(utf16.message.contains("UTF-16"))
        let invalid = try #require(
            Result { () throws(JSONSyntaxError) in try JSONValue.parse(Data([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D])) }
                .error
        )
        #expect(invalid.message.contains("not valid UTF-8"))
    }

    @Test func placesErrorsByLineAndCharacter() throws {
        let e = try #require(error("{\n  \"é\": [1,\n        2 3]}"))
        #expect(e.line == 3 && e.column == 11, "\(e)")
        #expect(e.path == "é")
        #expect(e.description.hasPrefix("line 3, column 11"))
    }

    @Test func agreesWithFoundationOnTheShippedConfig() throws {
        let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = repoRoot.appendingPathComponent("config.json")
        let data = try Data(contentsOf: url)
        #expect(try JSONValue.parse(data) == JSONDecoder().decode(FoundationJSON.self, from: data).value)
    }
}

/// The same document read by Foundation's `JSONDecoder`: the oracle the parser is checked against.
struct FoundationJSON: Decodable {
    let value: JSONValue

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var object: [String: JSONValue] = [:]
            for key in keyed.allKeys {
                object[key.stringValue] = try keyed.decode(FoundationJSON.self, forKey: key).value
            }
            value = .object(object)
            return
        }
        if var list = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !list.isAtEnd { values.append(try list.decode(FoundationJSON.self).value) }
            value = .array(values)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            value = .null
        } else if let b = try? single.decode(Bool.self) {
            value = .bool(b)
        } else if let d = try? single.decode(Double.self) {
            value = .number(d)
        } else {
            value = .string(try single.decode(String.self))
        }
    }
}

extension Result {
    var error: Failure? {
        if case let .failure(e) = self { return e }
        return nil
    }
}
