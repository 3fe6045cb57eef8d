import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// `fitdata sample --athletes N` loaded by `scripts/load-sample-athletes.sh` into a real PostgreSQL, then built.
@Suite("Many sample athletes", .serialized)
struct SampleAthletesLoadTests {
    static func tempDir(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("athletes-\(name)-\(UUID().uuidString.prefix(8))")
    }

    /// Runs `scripts/load-sample-athletes.sh args…` with `environment` added; returns status and stderr.
    static func loadScript(_ args: [String], environment: [String: String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [TestPaths.repoRoot.appendingPathComponent("scripts/load-sample-athletes.sh").path] + args
        var env = ProcessInfo.processInfo.environment
        env["FITDATA"] = FitdataProcess.executable.path
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    @Test func fiveAthletesLoadWithZeroRejectsAndEveryOneReachesTheMarts() throws {
        let dir = Self.tempDir("five"); defer { try? FileManager.default.removeItem(at: dir) }
        let sample = try FitdataProcess.run(["sample", "--athletes", "5", "--weeks", "8", "--seed", "42", "--out", dir.path])
        #expect(sample.status == 0, "\(sample.stderr)")
        #expect(sample.stdout == dir.appendingPathComponent("athletes.csv").path + "\n")
        let manifest = try String(contentsOf: dir.appendingPathComponent("athletes.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(manifest.count == 5)
        #expect(Set(manifest.map { $0[7] }).count >= 2)                                // more than one nutrition app

        let db = try TestDatabase(prefix: "athletes"); defer { db.drop() }
        let load = try Self.loadScript([dir.path], environment: ["DATABASE_URL": db.conninfo])
        #expect(load.status == 0, "\(load.stderr)")
        let c = try db.connect(); defer { c.close() }
        #expect(try c.query("SELECT count(*) FROM raw.rejects").scalar == "0")
        for row in manifest {
            let a = try c.query("SELECT timezone FROM core.athletes WHERE athlete_id = $1", [row[0]]).rows
            #expect(a.map { $0[0] } == [row[1]], "\(row[0])")
            let t = try c.query("""
                SELECT t.effective_from::text, t.kcal::int::text, t.protein_g::int::text, t.sessions_per_week::int::text
                FROM core.athlete_targets t JOIN core.athletes USING (athlete_sk) WHERE athlete_id = $1
                """, [row[0]]).rows
            #expect(t.map { $0.compactMap { $0 } } == [[row[9], row[10], row[11], row[3]]], "\(row[0])")
        }
        let counts = { (sql: String) in try c.query(sql).scalar }
        let before = try counts("SELECT (SELECT count(*) FROM core.sets) || '/' || (SELECT count(*) FROM core.nutrition_days) || '/' || (SELECT count(*) FROM core.body_measurements)")
        // loading again changes nothing
        let again = try Self.loadScript([dir.path], environment: ["DATABASE_URL": db.conninfo])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try counts("SELECT (SELECT count(*) FROM core.sets) || '/' || (SELECT count(*) FROM core.nutrition_days) || '/' || (SELECT count(*) FROM core.body_measurements)") == before)

        let target = Self.tempDir("target"); defer { try? FileManager.default.removeItem(at: target) }
        let build = try FitdataProcess.run(["build", "--project-dir", TestPaths.repoRoot.appendingPathComponent("dbt_style_models").path,
                                            "--target-dir", target.path, "--database-url", db.conninfo])
        #expect(build.status == 0, "\(build.stdout.suffix(3000))\(build.stderr.suffix(2000))")
        for mart in ["fct_workouts", "fct_sets", "mart_weekly_training", "fct_nutrition_daily", "fct_body_weight_daily",
                     "mart_weekly_training_diet", "mart_weekly_report"] {
            #expect(try counts("SELECT count(DISTINCT athlete_id) FROM marts.\(mart)") == "5", "\(mart)")
        }
    }

    @Test func oneAthleteKeepsTheSingleFolderLayout() throws {
        let dir = Self.tempDir("one"), direct = Self.tempDir("direct")
        defer { for d in [dir, direct] { try? FileManager.default.removeItem(at: d) } }
        let out = try FitdataProcess.run(["sample", "--athletes", "1", "--weeks", "8", "--seed", "7", "--out", dir.path])
        #expect(out.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["body_weight.csv", "cronometer_dailysummary.csv", "hevy_workouts.csv"])
        for url in try SampleAthlete(weeks: 8, seed: 7).write(to: direct) {
            #expect(try Data(contentsOf: url) == Data(contentsOf: dir.appendingPathComponent(url.lastPathComponent)))
        }
    }

    @Test func badCountsAndMissingManifestsAreUsageErrors() throws {
        let dir = Self.tempDir("bad"); defer { try? FileManager.default.removeItem(at: dir) }
        let zero = try FitdataProcess.run(["sample", "--athletes", "0", "--out", dir.path])
        #expect(zero.status == 2 && zero.stderr.contains("--athletes"))
        let missing = try Self.loadScript([dir.path], environment: [:])
        #expect(missing.status == 2 && missing.stderr.contains("athletes.csv: no such file"))
    }
}
