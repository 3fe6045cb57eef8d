import ArgumentParser
import FitSchema
import Foundation
import PostgresClient

/// `fitdata db grant-reader ROLE [--password-stdin]`.
struct DBGrantReader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant-reader",
        abstract: "Create or update a login role that can read the marts and nothing else (re-granted after every build).",
        discussion: """
            The role gets USAGE on the marts schema and SELECT on every table and view in it, sessions that start
            read-only, and no privilege in raw, core, meta, staging, intermediate, seeds or fitness. Every later
            `fitdata build` (and pipeline build) grants it the tables the build replaced or created.
            With --password-stdin the password is read from standard input (one line; the newline is dropped);
            only its SCRAM verifier is sent to the server, and it is never printed. Without it, the password is
            left as it is (a new role has none: use another authentication method, or run again with it).
            Exit status: 0 done; 2 bad role name, unsuitable existing role, no privilege to create roles, or an
            unreachable database. See docs/read-only-access.md.
            """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The role name (used as given, quoted as an identifier).") var role: String
    @Flag(name: .customLong("password-stdin"), help: "Read the role's password from standard input.")
    var passwordStdin = false

    func run() throws {
        try runReportingFailures {
            let password = passwordStdin ? try readPassword() : nil
            let conn = try db.connect()
            defer { conn.close() }
            let outcome: ReaderAccess.Outcome
            do {
                outcome = try ReaderAccess.grant(role: role, password: password, on: conn)
            } catch let e as ReaderAccessError {
                throw CLIFailure.configuration(e.description)
            } catch let e as PostgresClientError where e.sqlstate == "42501" || e.sqlstate == "42P01" {
                // no privilege to create roles or grant; or migration 0012 missing
                throw CLIFailure.configuration("\(e)".split(separator: "\n").first.map(String.init) ?? "\(e)")
            }
            let quoted = Connection.quoteIdentifier(role)
            print("reader role \(quoted) \(outcome.created ? "created" : "updated"): reads \(outcome.relations) relation(s) in schema "
                  + "\(ReaderAccess.schema), nothing else; password \(outcome.passwordSet ? "set" : "unchanged")")
        }
    }

    /// One line from standard input, without its line ending; refuses an empty one.
    private func readPassword() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        var text = String(decoding: data, as: UTF8.self)
        // "\r\n" is one Character in Swift: removeLast() drops either ending whole
        if text.hasSuffix("\r\n") || text.hasSuffix("\n") { text.removeLast() }
        if text.isEmpty { throw CLIFailure.configuration("--password-stdin: standard input held no password") }
        if text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
            throw CLIFailure.configuration("--password-stdin: standard input held more than one line")
        }
        return text
    }
}
