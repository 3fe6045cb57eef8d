import Foundation
import Testing
@testable import ModelRunner

/// `target` reads the connection string as libpq does (both forms, quoting and percent-encoding), so the
/// database printed in three-part names is the one the run connects to.
@Suite("runner: target from the connection string")
struct TargetInfoTests {
    @Test("key=value with a quoted value holding spaces")
    func keywordForm() {
        let t = TargetInfo(conninfo: "host=db.example port=5433 dbname='fit data' user=coach password=secret", schema: "s", threads: 2)
        #expect(t.database == "fit data")
        #expect(t.host == "db.example")
        #expect(t.port == 5433)
        #expect(t.user == "coach")
    }

    @Test("a URI with a percent-encoded database and query parameters")
    func uriForm() {
        let t = TargetInfo(conninfo: "postgresql://coach:pw@db.example:5434/fit%20data?sslmode=disable&application_name=x", schema: "s", threads: 1)
        #expect(t.database == "fit data")
        #expect(t.port == 5434)
        #expect(t.user == "coach")
    }

    @Test("no dbname in the string: the database is PGDATABASE if set, otherwise the user, as libpq connects")
    func defaultDatabase() {
        let t = TargetInfo(conninfo: "user=someone host=h", schema: "s", threads: 1)
        let env = ProcessInfo.processInfo.environment["PGDATABASE"]
        #expect(t.database == (env.flatMap { $0.isEmpty ? nil : $0 } ?? "someone"))
    }
}
