import ArgumentParser
import Foundation
import PostgresClient

/// `--database-url`, else `DATABASE_URL`, else libpq's own defaults (`PG*`, `PGSERVICE`, `~/.pgpass`).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL or conninfo (default: DATABASE_URL, else PG* variables).")
    var databaseURL: String?

    /// The conninfo to hand to libpq (never printed: it may hold a password).
    var conninfo: String { databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "" }

    /// Opens a connection, or exits 2 with a one-line message.
    func connect() throws -> Connection {
        do { return try Connection(conninfo: conninfo) }
        catch { throw CLIFailure.configuration("\(error)") }
    }
}

/// A failure that ends the command with a message and a documented exit status.
enum CLIFailure: Error, CustomStringConvertible {
    /// Exit 2: bad usage or configuration (missing file, bad header, unreachable database).
    case configuration(String)
    /// Exit 1: the work failed.
    case work(String)

    var description: String {
        switch self { case .configuration(let m), .work(let m): return m }
    }
    var exitCode: Int32 {
        switch self { case .configuration: return 2; case .work: return 1 }
    }
}

/// Runs `body`, printing failures as `fitdata: <message>` on stderr with the right exit status.
func runReportingFailures(_ body: () throws -> Void) throws {
    do { try body() }
    catch let f as CLIFailure {
        FileHandle.standardError.write(Data("fitdata: \(f.description)\n".utf8))
        throw ExitCode(f.exitCode)
    } catch let e as ExitCode {
        throw e
    } catch {
        FileHandle.standardError.write(Data("fitdata: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
