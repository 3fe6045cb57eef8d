import Foundation
import PostgresClient

/// A throwaway database on the test server, created fresh and dropped by ``drop()``.
///
/// The server comes from `TEST_DATABASE_URL`, else `DATABASE_URL`, else libpq's `PG*` defaults
/// (the Makefile points those at the private cluster it starts).
public final class TestDatabase: @unchecked Sendable {
    /// The database's name.
    public let name: String
    /// A conninfo string that reaches it.
    public let conninfo: String
    private let adminInfo: String

    /// Creates a new, empty database named `fitdata_test_<prefix>_<random>`.
    public init(prefix: String = "t") throws {
        let env = ProcessInfo.processInfo.environment
        adminInfo = env["TEST_DATABASE_URL"] ?? env["DATABASE_URL"] ?? ""
        let suffix = UUID().uuidString.prefix(8).lowercased()
        name = "fitdata_test_\(prefix.lowercased().filter { $0.isLetter || $0.isNumber })_\(suffix)"
        let admin = try Connection(conninfo: adminInfo)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(Connection.quoteIdentifier(name))")
        conninfo = Self.conninfo(base: adminInfo, database: name)
    }

    /// Opens a new connection to this database.
    public func connect() throws -> Connection { try Connection(conninfo: conninfo) }

    /// Drops the database (terminating any connection still open to it).
    public func drop() {
        guard let admin = try? Connection(conninfo: adminInfo) else { return }
        defer { admin.close() }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(Connection.quoteIdentifier(name)) WITH (FORCE)")
    }

    /// `base` with its database replaced by `database` (URL or key=value form).
    public static func conninfo(base: String, database: String) -> String {
        if base.hasPrefix("postgres://") || base.hasPrefix("postgresql://"),
           var comps = URLComponents(string: base) {
            comps.path = "/" + database
            return comps.string ?? base
        }
        return base.isEmpty ? "dbname=\(database)" : base + " dbname=\(database)"
    }
}

/// Locating the repository and the shared real-data folder from tests.
public enum TestPaths {
    /// The repository root (the folder holding Package.swift).
    public static var repoRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// `../shared/data/real` next to the repository, or nil when absent.
    public static var sharedRealData: URL? {
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["FITDATA_SHARED_DIR"].map { URL(fileURLWithPath: $0) },
                          repoRoot.deletingLastPathComponent().appendingPathComponent("shared")].compactMap { $0 }
        for c in candidates {
            let real = c.appendingPathComponent("data/real")
            if FileManager.default.fileExists(atPath: real.path) { return real }
        }
        return nil
    }

    /// True in CI (`CI=true`), where every test must run.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether tests that need `../shared/data/real` run: when it is present, and always in CI.
    ///
    /// Use as `@Test(.enabled(if: TestPaths.realDataTestsEnabled, Comment(rawValue: TestPaths.realDataSkipReason)))`: outside CI a
    /// missing folder shows as a skipped test with the reason; in CI the test runs and ``requireSharedRealData()``
    /// fails it like any other failure.
    public static var realDataTestsEnabled: Bool { isCI || sharedRealData != nil }

    /// Why a real-data test is skipped.
    public static let realDataSkipReason = "../shared/data/real not found next to the repository (set FITDATA_SHARED_DIR)"

    /// `../shared/data/real`, or an error that fails the test when it is missing.
    public static func requireSharedRealData() throws -> URL {
        guard let url = sharedRealData else { throw MissingSharedData() }
        return url
    }
}

/// `../shared/data/real` is missing where a test needs it.
public struct MissingSharedData: Error, CustomStringConvertible {
    public var description: String { "../shared/data/real is missing: the real-export tests cannot run (CI must have it)" }
}

extension TestPaths {
    /// dbt_utils 1.3.3 as vendored in `../shared/vendor/dbt-packages/dbt_utils`, or nil when absent.
    public static var vendoredDbtUtils: URL? {
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["FITDATA_SHARED_DIR"].map { URL(fileURLWithPath: $0) },
                          repoRoot.deletingLastPathComponent().appendingPathComponent("shared")].compactMap { $0 }
        for c in candidates {
            let dir = c.appendingPathComponent("vendor/dbt-packages/dbt_utils")
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("dbt_project.yml").path) { return dir }
        }
        return nil
    }

    /// Whether tests that need the vendored dbt_utils run: when it is present, and always in CI (where they fail
    /// without it).
    public static var dbtUtilsTestsEnabled: Bool { isCI || vendoredDbtUtils != nil }

    /// Why a dbt_utils test is skipped.
    public static let dbtUtilsSkipReason = "../shared/vendor/dbt-packages/dbt_utils not found next to the repository (set FITDATA_SHARED_DIR)"
}

import FitSchema

extension TestDatabase {
    /// A fresh database with `fitdata db init` applied (extension when installed, else plain SQL).
    public static func initialized(prefix: String = "t", plainSQL: Bool = false) throws -> TestDatabase {
        let db = try TestDatabase(prefix: prefix)
        let conn = try db.connect()
        defer { conn.close() }
        _ = try SchemaManager(connection: conn, sqlDirectory: TestPaths.repoRoot.appendingPathComponent("sql"))
            .initialize(useExtension: !plainSQL)
        return db
    }
}

/// Runs the built `fitdata` executable and captures its output.
public enum FitdataProcess {
    /// The result of one run.
    public typealias Output = ChildProcess.Output

    /// `.build/debug/fitdata` (or `FITDATA_BIN`); `make test` builds it first.
    public static var executable: URL {
        if let bin = ProcessInfo.processInfo.environment["FITDATA_BIN"] { return URL(fileURLWithPath: bin) }
        return TestPaths.repoRoot.appendingPathComponent(".build/debug/fitdata")
    }

    /// Runs `fitdata args…` with `environment` added to the current one (see ``ChildProcess/run(_:_:environment:input:timeout:)``).
    public static func run(_ args: [String], environment: [String: String] = [:], input: Data? = nil,
                           timeout: TimeInterval = 600) throws -> Output {
        try ChildProcess.run(executable, args, environment: environment, input: input, timeout: timeout)
    }
}

/// Runs a program to its end and captures its output: the one way tests start a child process and wait for it.
public enum ChildProcess {
    /// The result of one run.
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `executable args…` with `environment` added to the current one.
    ///
    /// `input`, when given, is written to the process's standard input through a pipe (so stdin is not seekable);
    /// otherwise stdin is the null device. `timeout` bounds the run: past it the process is killed (status 137).
    public static func run(_ executable: URL, _ args: [String], environment: [String: String] = [:], input: Data? = nil,
                           timeout: TimeInterval = 600) throws -> Output {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        // a process that exits without reading all of `input` must fail the write, not kill the tests with SIGPIPE
        if input != nil { signal(SIGPIPE, SIG_IGN) }
        let inPipe = input.map { _ in Pipe() }
        p.standardInput = inPipe ?? FileHandle.nullDevice
        try p.run()
        if let inPipe, let input {
            let writer = inPipe.fileHandleForWriting
            Thread.detachNewThread {
                try? writer.write(contentsOf: input)          // fails harmlessly if the process stopped reading
                try? writer.close()
            }
        }
        let pid = p.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        final class Captured: @unchecked Sendable { var data = Data() }    // written by one thread, read after wait()
        let e = Captured()
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread { e.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        watchdog.cancel()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e.data, as: UTF8.self))
    }
}
