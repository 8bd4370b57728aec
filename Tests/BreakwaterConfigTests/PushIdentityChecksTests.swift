import Foundation
import Testing

@testable import BreakwaterConfig

/// A push source id is one feeder across markets, with one token variable of its own.
struct PushIdentityChecksTests {
    let tests = ConfigTests()

    func config(_ sources: [(market: String, source: String)], server: String = "") -> String {
        let markets = sources.map {
            #"{"id": "\#($0.market)", "sources": [\#($0.source)], "aggregation": {"minSources": 1}}"#
        }
        return #"{\#(server)"markets": [\#(markets.joined(separator: ", "))]}"#
    }

    @Test func oneIdNamesOneVariableAcrossMarkets() {
        let found = tests.issues(
            config([
                ("BTC-USD", #"{"id": "p1", "kind": "push", "tokenEnv": "BW_P1"}"#),
                ("ETH-USD", #"{"id": "p1", "kind": "push", "tokenEnv": "BW_P1_ETH"}"#),
            ])
        )
        #expect(
            found == [
                "markets[1].sources[0].tokenEnv: push source \"p1\" names BW_P1_ETH here and BW_P1 at "
                    + "markets[0].sources[0].tokenEnv; one push source id is one feeder with one token "
                    + "(name the same variable, or use another id)"
            ],
            "\(found)"
        )
        // The same id with the same variable in several markets is one feeder: fine.
        #expect(
            tests.issues(
                config([
                    ("BTC-USD", #"{"id": "p1", "kind": "push", "tokenEnv": "BW_P1"}"#),
                    ("ETH-USD", #"{"id": "p1", "kind": "push", "tokenEnv": "BW_P1"}"#),
                ])
            ).isEmpty
        )
    }

    @Test func twoIdsNeverShareAVariable() {
        let found = tests.issues(
            config([
                ("BTC-USD", #"{"id": "p1", "kind": "push", "tokenEnv": "BW_P"}"#),
                ("ETH-USD", #"{"id": "p2", "kind": "push", "tokenEnv": "BW_P"}"#),
            ])
        )
        #expect(
            found == [
                "markets[1].sources[0].tokenEnv: BW_P is already the token of push source \"p1\" "
                    + "(markets[0].sources[0].tokenEnv); each push source id needs its own token variable"
            ],
            "\(found)"
        )
    }

    @Test func aPushSourceDoesNotUseTheAdminOrReadToken() {
        let found = tests.issues(
            config(
                [
                    ("BTC-USD", #"{"id": "p1", "kind": "push", "tokenEnv": "BREAKWATER_ADMIN_TOKEN"}"#),
                    ("ETH-USD", #"{"id": "p2", "kind": "push", "tokenEnv": "READ"}"#),
                ],
                server: #""server": {"readTokenEnv": "READ"}, "#
            )
        )
        #expect(
            found.contains(
                "markets[0].sources[0].tokenEnv: BREAKWATER_ADMIN_TOKEN is server.adminTokenEnv; a push source needs a token of its own"
            ),
            "\(found)"
        )
        #expect(
            found.contains(
                "markets[1].sources[0].tokenEnv: READ is server.readTokenEnv; a push source needs a token of its own"
            ),
            "\(found)"
        )
    }
}
