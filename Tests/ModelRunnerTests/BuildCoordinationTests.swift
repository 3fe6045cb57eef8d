import FitLoader
import FitSchema
import Foundation
import ModelRunner
import PostgresClient
import Testing
import TestSupport

/// Builds against loads and against each other (issue 10, item 4), on the real project and a real server.
///
/// The protocol is ``DataLock``: loads and syncs hold it shared, a build holds it exclusive for its whole run.
@Suite struct BuildCoordinationTests {
    /// A database with the schema and a small synthetic athlete loaded (4 weeks, seed 42).
    static func loadedDatabase(_ prefix: String) throws -> TestDatabase {
        let db = try TestDatabase.initialized(prefix: prefix)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-coord-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try SampleAthlete(weeks: 4, seed: 42, endDate: DateComponents(year: 2026, month: 11, day: 22)).write(to: dir)
        let c = try db.connect()
        defer { c.close() }
        _ = try HevyCSVLoader(connection: c).load(try HevyCSVFile.inspect(files[0]), options: .init(athleteId: "me", timezone: "Europe/Lisbon"))
        return db
    }

    /// Options for building the repository's dbt_style_models into `db`, artifacts in a temporary folder.
    static func buildOptions(_ db: TestDatabase, threads: Int = 4) -> RunnerOptions {
        var o = RunnerOptions(command: .build)
        o.projectDir = TestPaths.repoRoot.appendingPathComponent("dbt_style_models").path
        o.targetDir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-coord-target-\(UUID().uuidString.prefix(8))").path
        o.databaseURL = db.conninfo
        o.threads = threads
        return o
    }

    /// Polls (no timing assertion) until some session of `db` waits for the data lock in `mode`, or `finished()`.
    /// - Returns: true when a waiter was seen.
    static func waitForLockWaiter(_ db: TestDatabase, mode: String, finished: () -> Bool) throws -> Bool {
        let c = try db.connect()
        defer { c.close() }
        while !finished() {
            let n = try c.query("""
                SELECT count(*) FROM pg_locks l
                 WHERE l.locktype = 'advisory' AND NOT l.granted AND l.mode = $1
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.classid = (($2::bigint >> 32) & 4294967295)::oid AND l.objid = ($2::bigint & 4294967295)::oid
                """, [mode, DataLock.key]).scalar
            if n != "0" { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    static func runner(_ o: RunnerOptions, _ errors: LineLog) -> ModelRunner {
        ModelRunner(options: o, log: { errors.add($0) }, logError: { errors.add($0) })
    }

    @Test func buildStartedDuringALoadWaitsAndBuildsTheLoadedState() throws {
        let db = try Self.loadedDatabase("coordload"); defer { db.drop() }
        // A "load" in progress: holds the data lock shared in its transaction (as HevyCSVLoader does) and changes
        // core — here it soft-deletes every other workout — but has not committed yet.
        let load = try db.connect()
        defer { load.close() }
        try load.execute("BEGIN")
        try DataLock.shareForTransaction(load)
        let deleted = try load.query("UPDATE core.workouts SET deleted_at = now() WHERE workout_sk % 2 = 0 AND deleted_at IS NULL").affectedRows
        #expect(deleted > 0)

        let log = LineLog()
        let options = Self.buildOptions(db)
        let build = Background { Self.runner(options, log).execute() }
        let buildWaited = try Self.waitForLockWaiter(db, mode: "ExclusiveLock", finished: { build.isDone })
        try load.execute("COMMIT")
        let outcome = build.join()

        #expect(buildWaited, "the build did not wait for the running load:\n\(log.text)")
        #expect(outcome.exitCode == 0, "\(log.text)")
        #expect(log.text.contains("Waiting for running loads, syncs or another build to finish"))
        // Every reconciliation test ran after the load committed and passed; the marts hold the loaded state.
        let tests = outcome.results.filter { $0.uniqueId.hasPrefix("test.") }
        #expect(tests.count > 10 && tests.allSatisfy { $0.status == "pass" }, "\(tests.filter { $0.status != "pass" }.map(\.uniqueId))")
        let fctWorkouts = try #require(outcome.result("fct_workouts")?.relationName)
        let fctSets = try #require(outcome.result("fct_sets")?.relationName)
        let c = try db.connect(); defer { c.close() }
        let live = try c.query("SELECT count(*) FROM core.workouts WHERE deleted_at IS NULL").scalar
        #expect(try c.query("SELECT count(*) FROM \(fctWorkouts)").scalar == live)
        #expect(try c.query("""
            SELECT count(*) FROM core.sets s JOIN core.workout_exercises we USING (workout_exercise_sk)
              JOIN core.workouts w USING (workout_sk) WHERE w.deleted_at IS NULL
            """).scalar == c.query("SELECT count(*) FROM \(fctSets)").scalar)
    }

    @Test func twoBuildsAtOnceOnAFreshDatabaseSerializeAndBothSucceed() throws {
        let db = try Self.loadedDatabase("coordtwo"); defer { db.drop() }
        let logA = LineLog(), logB = LineLog()
        let a = Self.buildOptions(db), b = Self.buildOptions(db)
        let first = Background { Self.runner(a, logA).execute() }
        let second = Background { Self.runner(b, logB).execute() }
        let (ra, rb) = (first.join(), second.join())
        #expect(ra.exitCode == 0, "\(logA.text)")
        #expect(rb.exitCode == 0, "\(logB.text)")
        // They did not overlap: whichever started second waited (data lock) until the first had finished every node.
        #expect((logA.text + logB.text).contains("Waiting for running loads, syncs or another build to finish"))
        let startA = try #require(ra.results.map(\.startedAt).min()), startB = try #require(rb.results.map(\.startedAt).min())
        let (early, late) = startA < startB ? (ra, rb) : (rb, ra)
        #expect(try #require(late.results.map(\.startedAt).min()) >= (try #require(early.results.map(\.completedAt).max())))
        // Every model and seed relation exists, and nothing was left under a temporary name.
        let relations = ra.results.compactMap { r -> String? in
            r.uniqueId.hasPrefix("model.") || r.uniqueId.hasPrefix("seed.") ? r.relationName : nil
        }
        #expect(relations.count >= 20)
        let c = try db.connect(); defer { c.close() }
        for r in relations {
            #expect(try c.query("SELECT to_regclass($1) IS NOT NULL", [r]).scalar == "t", "missing \(r)")
        }
        #expect(try c.query("SELECT count(*) FROM pg_class WHERE relname LIKE '%fitdata_tmp%'").scalar == "0")
    }

    /// Hevy CSV and nutrition loads alike (both take ``LoadLock``).
    @Test(arguments: ["hevy-csv", "nutrition"]) func aLoadWaitsForARunningBuild(_ kind: String) throws {
        let db = try Self.loadedDatabase("coordwait"); defer { db.drop() }
        // A "build" in progress holds the data lock exclusive.
        let build = try db.connect()
        defer { build.close() }
        try DataLock.exclusive(build)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-coord-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try SampleAthlete(weeks: 6, seed: 42, endDate: DateComponents(year: 2026, month: 11, day: 22)).write(to: dir)
        let written = kind == "nutrition" ? "SELECT count(*) FROM core.nutrition_days" : "SELECT count(*) FROM core.workouts"
        let before = try build.query(written).scalar
        let conninfo = db.conninfo
        let load = Background { () -> String in
            do {
                let c = try Connection(conninfo: conninfo)
                defer { c.close() }
                if kind == "nutrition" {
                    let url = files.first { $0.lastPathComponent == "cronometer_dailysummary.csv" }!
                    let s = try NutritionLoader(connection: c).load(try NutritionFile.inspectNutrition(url, format: nil),
                                                                    options: .init(athleteId: "me"))
                    return "loaded \(s.loadId)"
                }
                let s = try HevyCSVLoader(connection: c).load(try HevyCSVFile.inspect(files[0]), options: .init(athleteId: "me"))
                return "loaded \(s.loadId)"
            } catch { return "failed: \(error)" }
        }
        let loadWaited = try Self.waitForLockWaiter(db, mode: "ShareLock", finished: { load.isDone })
        // While the build holds the lock the load has written nothing.
        #expect(try build.query(written).scalar == before)
        try DataLock.releaseExclusive(build)
        let result = load.join()
        #expect(loadWaited, "the load did not wait for the build: \(result)")
        #expect(result.hasPrefix("loaded"), "\(result)")
        #expect(try build.query(written).scalar != before)
    }

    @Test func lockTimeoutStopsTheBuildWithTheHolders() throws {
        let fx = try Fixture("locktimeout", files: ["models/v.sql": "select 1 as id"])
        let holder = try fx.connect()
        defer { holder.close() }
        try DataLock.share(holder)   // a sync in progress
        let out = fx.run(.run) { $0.lockTimeout = 0.2 }
        #expect(out.exitCode == 1)
        #expect(out.results.isEmpty)
        let pid = try holder.query("SELECT pg_backend_pid()").scalar ?? "?"
        #expect(fx.output.contains("Waiting for running loads, syncs or another build to finish: data lock held by pid \(pid)"), "\(fx.output)")
        #expect(fx.errorOutput.contains("error: a load, sync or another build is still running on this database (data lock held by pid \(pid)"), "\(fx.errorOutput)")
        #expect(fx.errorOutput.contains("--lock-timeout"))
        #expect(try fx.scalar("SELECT to_regclass('public.v') IS NULL") == "t")
        // Released: the same build runs.
        try DataLock.releaseShared(holder)
        #expect(fx.run(.run) { $0.lockTimeout = 0.2 }.exitCode == 0)
    }
}
