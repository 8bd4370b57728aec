import Testing

@testable import BreakwaterWire

struct DatabaseURLTests {
    @Test func readsEveryPart() throws {
        let u = try DatabaseURL("postgres://bw%40ops:p%3Ass@db.internal:6543/risk?sslmode=disable")
        #expect(u.user == "bw@ops" && u.password == "p:ss" && u.host == "db.internal")
        #expect(u.port == 6543 && u.database == "risk")
        #expect(u.redacted == "postgres://bw@ops:***@db.internal:6543/risk")
    }

    @Test func defaultsPortAndDatabaseAndReadsIPv6() throws {
        let u = try DatabaseURL("postgresql://breakwater@[::1]")
        #expect(u.host == "::1" && u.port == 5432 && u.database == "breakwater" && u.password == nil)
        #expect(u.redacted == "postgres://breakwater@[::1]:5432/breakwater")
    }

    @Test(arguments: [
        ("mysql://u@h/db", "does not start with postgres://"),
        ("postgres://h:5432/db", "names no user"),
        ("postgres://:pw@h/db", "names no user"),
        ("postgres://u@/db", "names no host"),
        ("postgres://u@h:99999/db", "port that is not 1...65535"),
        ("postgres://u@h:x/db", "port that is not 1...65535"),
        ("postgres://u:secret%zz@h/db", "bad percent escape in its password"),
        ("postgres://u@h/db?sslmode=require", "only disable"),
        ("postgres://u@h/db?connect_timeout=3", "other than sslmode"),
        ("postgres://u@[::1/db", "unclosed ["),
    ])
    func refusesWithTheReason(text: String, reason: String) {
        #expect {
            try DatabaseURL(text)
        } throws: { error in
            let d = "\(error)"
            return d.contains(reason) && !d.contains("secret")
        }
    }
}
