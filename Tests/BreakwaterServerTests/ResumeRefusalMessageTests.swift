import BreakwaterEngine
import Testing

@testable import BreakwaterServer

/// The 409 words of a refused resume: the engine says why, the server writes the times.
struct ResumeRefusalMessageTests {
    @Test func refusalsNameTheirTimeInRFC3339() {
        #expect(
            RiskEngine.ResumeRefusal.warming(until: 1_700_000_010).message.hasSuffix(
                "resume after 2023-11-14T22:13:30.000Z"
            )
        )
        #expect(
            RiskEngine.ResumeRefusal.oracleUntrusted(.quorumLost, trustedAgainAt: 1_700_000_010).message
                == "oracle is untrusted (quorum_lost); trusted again at 2023-11-14T22:13:30.000Z if it stays healthy"
        )
        #expect(
            RiskEngine.ResumeRefusal.oracleUntrusted(.divergence, trustedAgainAt: nil).message
                == "oracle is untrusted (divergence)"
        )
    }
}
