import Testing

@testable import BreakwaterWire

struct EnvironmentSecretTests {
    @Test func valuesAreTrimmedAndBlankIsUnset() {
        let env = ["A": "  s3cret\n", "B": " \n\t", "C": "x y"]
        #expect(EnvironmentSecret.value("A", in: env) == "s3cret")
        #expect(EnvironmentSecret.value("B", in: env) == nil)
        #expect(EnvironmentSecret.value("C", in: env) == "x y")
        #expect(EnvironmentSecret.value("D", in: env) == nil)
        #expect(EnvironmentSecret.value(nil, in: env) == nil)
    }
}
