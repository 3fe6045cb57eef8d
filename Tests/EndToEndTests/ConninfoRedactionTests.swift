import Foundation
import PostgresClient
import Testing
import TestSupport

/// Database passwords never appear in connection errors (issue 10, item 5), from the library or the CLI.
///
/// Every password below holds the marker `Zq9x`; libpq echoes parts of malformed conninfo strings in its messages
/// (a whole URL, a bad `%` escape), so each error text is checked for the marker, as written and decoded.
@Suite struct ConninfoRedactionTests {
    /// Malformed or unreachable URLs and conninfo strings; each one fails fast (no DNS, no TCP wait).
    static let hostile: [String] = [
        "postgres://u:secZq9xret@[::1/db",                                    // unclosed IPv6 bracket (reported leak)
        "postgres://u:sec%zzZq9xret@localhost/db",                            // bad % escape (reported leak)
        "postgres://u:Zq9x%00pw@localhost/db",                                // forbidden %00
        "postgres://u:Zq9x%4@localhost/db",                                   // truncated escape
        "postgresql://u:pwZq9x@[::1]]:5432/db",                               // stray bracket
        "postgres://[u:pwZq9x@localhost/db",                                  // bracket in the userinfo
        "postgres://u:pw@Zq9x@[::1/db",                                       // '@' inside the password
        "postgres://u:pw/Zq9x@[::1/db",                                       // '/' inside the password
        "postgres://u:pwZq9x@localhost:notaport/db",                          // bad port
        "postgres://u:pwZq9x@localhost:5432:5433/db",                         // two ports
        "postgres://u:pwZq9x@%zzhost/db",                                     // bad escape in the host
        "postgres://u:pwZq9x@localhost/%zzdb",                                // bad escape in the database
        "postgres://u:pwZq9x@localhost/db?bogus=1",                           // unknown query parameter
        "postgres://u:pwZq9x@localhost/db?sslmode=sometimes",                 // bad query value
        "postgres://u:pwZq9x@localhost/db?application_name=%zz",             // bad escape in a query value
        "postgres://u@localhost/db?password=pwZq9x&bogus=1",                  // password as a query parameter
        "postgres://u@localhost/db?password=pw%zzZq9x",                       // bad escape in the query password
        "postgres://u@[::1/db?password=pwZq9x",                               // unclosed bracket, query password
        "postgres://u:pw%2FZq9x@/db?host=/nonexistent-fitdata&connect_timeout=1", // valid URL, unreachable socket
        "host=/nonexistent-fitdata password=pwZq9x port=x",                   // key=value, bad port
        "host=/nonexistent-fitdata password = pwZq9x dbname",                 // key=value, missing '='
        "password='pw Zq9x' host='unterminated",                              // unterminated quote
        "password='pw\\'Zq9x' host=/nonexistent-fitdata bogus=1",             // quoted, escaped quote, unknown key
        "password=pwZq9x host=/nonexistent-fitdata",                          // valid, unreachable
        "postgres://u:pwZq9x@[::1/db password=pwZq9x",                        // mixed forms
    ]

    static func leaks(_ text: String) -> Bool { text.lowercased().contains("zq9x") }

    @Test(arguments: hostile) func libraryErrorsNeverShowThePassword(conninfo: String) throws {
        do {
            let c = try Connection(conninfo: conninfo)
            c.close()
            Issue.record("connected with \(ConninfoRedaction.redact(conninfo, conninfo: conninfo))")
        } catch let e as PostgresClientError {
            guard case .connectionFailed(let message) = e else { Issue.record("not a connection failure: \(e)"); return }
            #expect(!message.isEmpty)
            #expect(!Self.leaks("\(e)"), "password shown: \(e)")
        }
    }

    @Test func redactionKeepsTheRestOfTheMessage() {
        let url = "postgres://u:sec%zzret@host/db"
        #expect(ConninfoRedaction.redact("invalid percent-encoded token: \"sec%zzret\"", conninfo: url)
                == "invalid percent-encoded token: \"***\"")
        #expect(ConninfoRedaction.redact("bad URI: \"postgres://alice:pw@[::1/db\"", conninfo: nil)
                == "bad URI: \"postgres://alice:***@[::1/db\"")
        #expect(ConninfoRedaction.redact("in: password='a b' host=x", conninfo: nil) == "in: password=*** host=x")
        #expect(ConninfoRedaction.secrets(in: "postgres://u:a%2Fb@h/db").contains("a/b"))
        #expect(ConninfoRedaction.redact("no secret here", conninfo: "host=x") == "no secret here")
    }

    @Test func cliErrorsNeverShowThePassword() throws {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-redact-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: target) }
        let project = TestPaths.repoRoot.appendingPathComponent("dbt_style_models").path
        for conninfo in Self.hostile {
            for args in [["db", "init", "--database-url", conninfo],
                         ["build", "--project-dir", project, "--target-dir", target, "--database-url", conninfo]] {
                let out = try FitdataProcess.run(args)
                #expect(out.status != 0, "\(args[0]) succeeded with \(conninfo)")
                #expect(!out.stderr.isEmpty)
                #expect(!Self.leaks(out.stderr + out.stdout), "\(args[0]): \(out.stderr)")
            }
            // The same through DATABASE_URL.
            let env = try FitdataProcess.run(["db", "init"], environment: ["DATABASE_URL": conninfo])
            #expect(env.status != 0)
            #expect(!Self.leaks(env.stderr + env.stdout), "DATABASE_URL: \(env.stderr)")
        }
    }
}
