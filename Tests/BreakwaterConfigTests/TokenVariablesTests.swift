import Foundation
import Testing

@testable import BreakwaterConfig

/// Token values: trimmed like every secret, long enough, one caller each; named but unset ones
/// are listed (the server logs them); `protectReads` needs a token that can read.
struct TokenVariablesTests {
    static let json = #"""
        {"server": {"adminTokenEnv": "ADMIN", "readTokenEnv": "READ", "protectReads": true},
         "markets": [{"id": "BTC-USD", "sources": [{"id": "p1", "kind": "push", "tokenEnv": "BW_P1"}], "aggregation": {"minSources": 1}},
                     {"id": "ETH-USD", "sources": [{"id": "p1", "kind": "push", "tokenEnv": "BW_P1"},
                                                   {"id": "p2", "kind": "push", "tokenEnv": "BW_P2"}], "aggregation": {"minSources": 1}}]}
        """#
    static let long = "0123456789abcdef0123"

    func problems(_ environment: [String: String]) -> [String] {
        do {
            _ = try ConfigLoader.parse(Data(Self.json.utf8), environment: environment)
            return []
        } catch let e as ConfigError {
            return e.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func aShortTokenIsAConfigErrorThatNeverShowsTheValue() {
        let found = problems(["BW_P1": "0123456789", "ADMIN": Self.long])
        #expect(
            found == [
                "env BW_P1: push source \"p1\"'s token is 10 characters; a token needs at least 16 (e.g. openssl rand -hex 32)"
            ],
            "\(found)"
        )
        // Unset variables are not problems of the file: it can be checked without its secrets.
        #expect(problems([:]).isEmpty)
    }

    @Test func aSecretFilesFinalNewlineIsNotPartOfTheToken() {
        // 15 characters and a newline: too short once trimmed, as the server would compare it.
        #expect(problems(["BW_P1": "0123456789abcde\n"]).count == 1)
        #expect(problems(["BW_P1": "\(Self.long)\n", "BW_P2": " \(Self.long)x \r\n"]).isEmpty)
    }

    @Test func oneValueInTwoVariablesIsRefused() {
        let found = problems(["ADMIN": Self.long, "BW_P2": Self.long + "\n"])
        #expect(
            found == ["env BW_P2: holds the same token as ADMIN; push source \"p2\"'s token must be its own"],
            "\(found)"
        )
    }

    @Test func unsetVariablesAreListedOnceEach() throws {
        let c = try ConfigLoader.parse(Data(Self.json.utf8))
        let unset = TokenVariables.unset(in: c, environment: ["READ": Self.long, "BW_P2": "  \n"])
        #expect(unset.map(\.variable) == ["ADMIN", "BW_P1", "BW_P2"])
        #expect(unset.map(\.use) == ["the admin token", "push source \"p1\"'s token", "push source \"p2\"'s token"])
    }

    @Test func protectedReadsNeedATokenThatCanRead() throws {
        let c = try ConfigLoader.parse(Data(Self.json.utf8))
        #expect(
            TokenVariables.servingProblems(in: c, environment: ["BW_P1": Self.long]).map(\.description)
                == ["server.protectReads: true, but no token can read: set READ or ADMIN (every read would answer 401)"]
        )
        #expect(TokenVariables.servingProblems(in: c, environment: ["READ": Self.long]).isEmpty)
        #expect(TokenVariables.servingProblems(in: c, environment: ["ADMIN": Self.long]).isEmpty)
    }
}

/// `server.positionsTokenEnv` names the one token that may post position snapshots: its value is
/// checked like every token, and its variable is no other token's.
struct PositionsTokenTests {
    func issues(_ json: String, _ environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigLoader.parse(Data(json.utf8), environment: environment)
            return []
        } catch let e as ConfigError {
            return e.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    static let market =
        #""markets": [{"id": "BTC-USD", "sources": [{"id": "p", "kind": "push", "tokenEnv": "PUSH"}], "aggregation": {"minSources": 1}}]"#

    @Test func itIsReadListedAndCheckedLikeTheOthers() throws {
        let json = #"{"server": {"positionsTokenEnv": "POSITIONS"}, "# + Self.market + "}"
        let c = try ConfigLoader.parse(Data(json.utf8))
        #expect(c.server.positionsTokenEnv == "POSITIONS")
        #expect(
            TokenVariables.unset(in: c, environment: [:]).map(\.use).contains("the positions token")
        )
        #expect(
            issues(json, ["POSITIONS": "short-token"])
                == [
                    "env POSITIONS: the positions token is 11 characters; a token needs at least 16 (e.g. openssl rand -hex 32)"
                ]
        )
        // None by default: nothing to set for a service that is never sent positions.
        #expect(try ConfigLoader.parse(Data(("{" + Self.market + "}").utf8)).server.positionsTokenEnv == nil)
    }

    @Test func itsVariableIsNoOtherTokens() {
        #expect(
            issues(#"{"server": {"adminTokenEnv": "A", "positionsTokenEnv": "A"}, "# + Self.market + "}")
                == ["server.positionsTokenEnv: A is also adminTokenEnv; the positions token must be its own"]
        )
        #expect(
            issues(#"{"server": {"positionsTokenEnv": "PUSH"}, "# + Self.market + "}")
                == [
                    "markets[0].sources[0].tokenEnv: PUSH is server.positionsTokenEnv; a push source needs a token of its own"
                ]
        )
        #expect(
            issues(#"{"server": {"positionsTokenEnv": "9x"}, "# + Self.market + "}")
                == [
                    #"server.positionsTokenEnv: "9x" is not an environment variable name (expected letters, digits and _)"#
                ]
        )
    }
}
