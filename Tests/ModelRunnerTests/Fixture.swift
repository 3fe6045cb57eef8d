import Foundation
import ModelRunner
import PostgresClient
import TestSupport

/// A throwaway dbt-style project in a temp folder, plus a fresh database to build it in.
final class Fixture: @unchecked Sendable {
    let dir: URL
    let db: TestDatabase
    private let lock = NSLock()
    private var lines: [String] = []
    private var errors: [String] = []

    init(_ name: String = "runner", files: [String: String] = [:]) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-runner-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        db = try TestDatabase(prefix: "runner")
        var all = files
        if all["dbt_project.yml"] == nil {
            all["dbt_project.yml"] = """
            name: fx
            version: '1.0'
            models:
              fx:
                +materialized: view
            """
        }
        for (path, text) in all { try write(path, text) }
    }

    deinit {
        db.drop()
        try? FileManager.default.removeItem(at: dir)
    }

    func write(_ path: String, _ text: String) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(at: dir.appendingPathComponent(path)) }

    func read(_ path: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8) }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: dir.appendingPathComponent(path).path) }

    func connect() throws -> Connection { try db.connect() }

    /// Runs a command against this project and database; output lines are kept for assertions.
    @discardableResult
    func run(_ command: RunnerCommand, select: [String] = [], exclude: [String] = [], _ configure: (inout RunnerOptions) -> Void = { _ in }) -> RunOutcome {
        var o = RunnerOptions(command: command)
        o.projectDir = dir.path
        o.databaseURL = db.conninfo
        o.select = select
        o.exclude = exclude
        configure(&o)
        let runner = ModelRunner(options: o, log: { [self] l in lock.lock(); lines.append(l); lock.unlock() },
                                 logError: { [self] l in lock.lock(); errors.append(l); lock.unlock() })
        return runner.execute()
    }

    var output: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
    var errorOutput: String { lock.lock(); defer { lock.unlock() }; return errors.joined(separator: "\n") }

    func clearOutput() { lock.lock(); lines.removeAll(); errors.removeAll(); lock.unlock() }

    /// One scalar from the test database.
    func scalar(_ sql: String) throws -> String? {
        let c = try connect()
        defer { c.close() }
        return try c.query(sql).scalar
    }

    func execute(_ sql: String) throws {
        let c = try connect()
        defer { c.close() }
        try c.execute(sql)
    }
}

/// A small raw source table most fixtures read from.
let rawEventsSQL = """
CREATE SCHEMA raw;
CREATE TABLE raw.events (id int PRIMARY KEY, kind text, reps int);
INSERT INTO raw.events SELECT g, (ARRAY['squat','bench','row'])[1 + g % 3], g % 7 FROM generate_series(1, 30) g;
"""

let rawSourcesYML = """
version: 2
sources:
  - name: raw
    tables:
      - name: events
"""
