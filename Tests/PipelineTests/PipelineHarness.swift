import FitLoader
import FitSchema
import Foundation
import HTTPKit
import HevySync
import Pipeline
import PostgresClient
import TestSupport

/// Lines and records collected from the pipeline's callbacks.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var recordsStorage: [StepRecord] = []
    private var linesStorage: [String] = []
    func add(_ r: StepRecord) { lock.lock(); recordsStorage.append(r); lock.unlock() }
    func add(_ l: String) { lock.lock(); linesStorage.append(l); lock.unlock() }
    var records: [StepRecord] { lock.lock(); defer { lock.unlock() }; return recordsStorage }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return linesStorage }
}

/// One pipeline run's result and what it emitted.
struct PipelineRun {
    let result: Pipeline.Result
    let records: [StepRecord]
    let lines: [String]

    /// The record of `step` (the first one).
    func step(_ name: String) -> StepRecord? { records.first { $0.step == name } }
}

/// A fresh initialized database, a drop folder, sample export files, a copy of the model project with a fault
/// model and a fault test (switched by `public.pipeline_faults`), and optionally the fake Hevy server.
final class PipelineHarness: @unchecked Sendable {
    let database: TestDatabase
    let server: FakeHevyServer?
    let apiKey: String
    let root: URL
    var inbox: URL { root.appendingPathComponent("inbox") }
    var samples: URL { root.appendingPathComponent("samples") }
    var project: URL { root.appendingPathComponent("project") }

    private init(database: TestDatabase, server: FakeHevyServer?, root: URL, apiKey: String) {
        self.apiKey = apiKey
        self.database = database
        self.server = server
        self.root = root
    }

    static func make(hevy: Bool) async throws -> PipelineHarness {
        try await onThread {
            let db = try TestDatabase.initialized(prefix: "pipeline")
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-pipeline-\(UUID().uuidString)")
            do {
                let key = "hevy-pipeline-key-\(UUID().uuidString.lowercased())"
                let server = hevy ? try FakeHevyServer(apiKey: key) : nil
                let harness = PipelineHarness(database: db, server: server, root: root, apiKey: key)
                try harness.prepareFiles()
                let conn = try db.connect()
                defer { conn.close() }
                try conn.execute("""
                    CREATE TABLE public.pipeline_faults (divisor integer NOT NULL, fail_test boolean NOT NULL);
                    INSERT INTO public.pipeline_faults VALUES (1, false);
                    """)
                return harness
            } catch {
                db.drop()
                try? FileManager.default.removeItem(at: root)
                throw error
            }
        }
    }

    private func prepareFiles() throws {
        let fm = FileManager.default
        try fm.createDirectory(at: inbox, withIntermediateDirectories: true)
        try SampleAthlete(weeks: 4, seed: 7).write(to: samples)
        try fm.copyItem(at: TestPaths.repoRoot.appendingPathComponent("dbt_style_models"), to: project)
        try? fm.removeItem(at: project.appendingPathComponent("target"))
        // a table model downstream of core.body_measurements that fails while divisor = 0, and a test that fails on demand
        try """
            {{ config(materialized='table') }}
            select count(*) / (select divisor from public.pipeline_faults) as weigh_ins from {{ source('core', 'body_measurements') }}
            """.write(to: project.appendingPathComponent("models/intermediate/zz_pipeline_fault.sql"), atomically: true, encoding: .utf8)
        try """
            select 1 as failure from {{ ref('zz_pipeline_fault') }} where exists (select 1 from public.pipeline_faults where fail_test)
            """.write(to: project.appendingPathComponent("tests/assert_pipeline_fault_switch.sql"), atomically: true, encoding: .utf8)
    }

    /// Stops the server, drops the database and removes the files.
    func close() {
        server?.stop()
        // reader roles are cluster-wide: drop them once their database (and with it their grants) is gone
        let roles = (try? database.connect()).map { c -> [String] in
            defer { c.close() }
            return ((try? c.query("SELECT role_name FROM meta.reader_roles").rows) ?? []).compactMap { $0[0] }
        } ?? []
        database.drop()
        if !roles.isEmpty, let admin = try? Connection(conninfo: ProcessInfo.processInfo.environment["TEST_DATABASE_URL"]
                                                        ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "") {
            for r in roles { _ = try? admin.execute("DROP ROLE IF EXISTS \(Connection.quoteIdentifier(r))") }
            admin.close()
        }
        try? FileManager.default.removeItem(at: root)
    }

    /// Copies a sample file (or writes `text`) into the inbox as `name`.
    func drop(_ sample: String, as name: String? = nil) throws {
        try FileManager.default.copyItem(at: samples.appendingPathComponent(sample), to: inbox.appendingPathComponent(name ?? sample))
    }

    func drop(text: String, as name: String) throws {
        try text.write(to: inbox.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Library options for this harness: the project copy, the inbox, the fake server when there is one.
    func options(_ kind: PipelineOptions.Kind = .daily) -> PipelineOptions {
        var o = PipelineOptions(kind: kind)
        o.athleteID = "me"
        o.timezone = "Europe/Lisbon"
        o.inbox = inbox
        o.projectDir = project.path
        o.conninfo = database.conninfo
        o.lockTimeout = 0
        if let server {
            var c = SyncConfiguration(baseURL: server.baseURL, apiKey: apiKey)
            c.requestDelay = 0
            c.requestTimeout = 5
            c.retry = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.05, maxRetryAfter: 1)
            o.sync = c
        }
        return o
    }

    /// Runs the pipeline in this process.
    func run(_ kind: PipelineOptions.Kind = .daily, report: (any WeeklyReportStep)? = nil,
             _ adjust: @escaping @Sendable (inout PipelineOptions) -> Void = { _ in }) async throws -> PipelineRun {
        var o = options(kind)
        adjust(&o)
        let options = o
        let collected = Collected()
        let result = try await onThread {
            Pipeline(options: options, report: report, onStep: { collected.add($0) }, log: { collected.add($0) }).run()
        }
        return PipelineRun(result: result, records: collected.records, lines: collected.lines)
    }

    /// The environment of a CLI run: the database, and the fake server's key and URL when there is one.
    var cliEnvironment: [String: String] {
        var env = ["DATABASE_URL": database.conninfo, "HEVY_API_KEY": "", "HEVY_API_URL": ""]
        if let server { env["HEVY_API_KEY"] = apiKey; env["HEVY_API_URL"] = server.baseURL.absoluteString }
        return env
    }

    /// Runs the built `fitdata` with this harness's environment.
    func cli(_ args: [String], input: Data? = nil) async throws -> FitdataProcess.Output {
        let env = cliEnvironment
        return try await onThread { try FitdataProcess.run(args, environment: env, input: input) }
    }

    /// Rows of a query on a new connection.
    func rows(_ sql: String, _ params: [String] = []) async throws -> [[String?]] {
        let info = database.conninfo
        return try await onThread {
            let c = try Connection(conninfo: info)
            defer { c.close() }
            return try c.query(sql, params).rows
        }
    }

    func scalar(_ sql: String, _ params: [String] = []) async throws -> String? {
        try await rows(sql, params).first?.first ?? nil
    }

    func int(_ sql: String, _ params: [String] = []) async throws -> Int {
        Int(try await scalar(sql, params) ?? "0") ?? 0
    }

    func execute(_ sql: String) async throws {
        let info = database.conninfo
        try await onThread {
            let c = try Connection(conninfo: info)
            defer { c.close() }
            try c.execute(sql)
        }
    }

    /// Names of the files in a folder under the root (`inbox/processed` …), sorted; empty when it does not exist.
    func files(_ relative: String) -> [String] {
        let url = root.appendingPathComponent(relative)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { name in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDir)
            return !isDir.boolValue
        }.sorted()
    }

    /// A file's text under the root.
    func text(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }
}
