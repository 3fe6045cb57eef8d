import FitLoader
import Foundation
import ModelRunner
import PostgresClient
import TestSupport

/// One database for the report tests: the synthetic sample athlete (12 weeks to Sunday 2026-11-22, seed 42) loaded as
/// `me` and again as `gaps`, whose week 2026-W46 has its food log and weigh-ins deleted; the marts built once.
final class SampleMarts: @unchecked Sendable {
    let db: TestDatabase
    let dir: URL

    nonisolated(unsafe) private static var cached: Result<SampleMarts, any Error>?
    private static let lock = NSLock()
    nonisolated(unsafe) private static var toDrop: String?

    /// The shared fixture, built on first use and dropped when the test process exits.
    static func shared() throws -> SampleMarts {
        lock.lock(); defer { lock.unlock() }
        if cached == nil { cached = Result { try SampleMarts() } }
        return try cached!.get()
    }

    private init() throws {
        db = try TestDatabase.initialized(prefix: "report")
        Self.toDrop = db.name
        atexit {
            guard let name = SampleMarts.toDrop else { return }
            let env = ProcessInfo.processInfo.environment
            if let admin = try? Connection(conninfo: env["TEST_DATABASE_URL"] ?? env["DATABASE_URL"] ?? "") {
                _ = try? admin.execute("DROP DATABASE IF EXISTS \(Connection.quoteIdentifier(name)) WITH (FORCE)")
                admin.close()
            }
        }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-report-sample-\(UUID().uuidString.prefix(8))")
        let files = try SampleAthlete(weeks: 12, seed: 42).write(to: dir)
        let c = try db.connect(); defer { c.close() }
        for athlete in ["me", "gaps"] {
            _ = try HevyCSVLoader(connection: c).load(try HevyCSVFile.inspect(files[0]),
                                                       options: .init(athleteId: athlete, timezone: "Europe/Lisbon"))
            _ = try NutritionLoader(connection: c).load(try NutritionFile.inspectNutrition(files[1]), options: .init(athleteId: athlete))
            _ = try NutritionLoader(connection: c).load(try NutritionFile.inspectBodyWeight(files[2]), options: .init(athleteId: athlete))
        }
        try c.execute("""
            DELETE FROM core.nutrition_days n USING core.athletes a
             WHERE a.athlete_sk = n.athlete_sk AND a.athlete_id = 'gaps' AND n.date BETWEEN '2026-11-09' AND '2026-11-15';
            DELETE FROM core.body_measurements b USING core.athletes a
             WHERE a.athlete_sk = b.athlete_sk AND a.athlete_id = 'gaps' AND b.date BETWEEN '2026-11-09' AND '2026-11-15';
            """)
        var o = RunnerOptions(command: .build)
        o.projectDir = TestPaths.repoRoot.appendingPathComponent("dbt_style_models").path
        o.targetDir = dir.appendingPathComponent("target").path
        o.databaseURL = db.conninfo
        let outcome = ModelRunner(options: o, log: { _ in }, logError: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }).execute()
        guard outcome.exitCode == 0 else { throw BuildFailed(code: outcome.exitCode) }
    }

    struct BuildFailed: Error { let code: Int32 }

    func connect() throws -> Connection { try db.connect() }
}
