import Foundation
import PostgresClient
import TestSupport

/// One database with the sample athlete loaded and the marts built, shared by the dashboard tests (built once).
final class DashboardFixture: Sendable {
    let db: TestDatabase
    let sampleDir: URL

    /// The shared fixture, or the error that stopped it (rethrown by every test that needs it); its database and
    /// files are removed when the test process exits.
    static let shared: Result<DashboardFixture, Error> = {
        let result = Result { try DashboardFixture() }
        atexit {
            guard case .success(let f) = DashboardFixture.shared else { return }
            f.db.drop()
            try? FileManager.default.removeItem(at: f.sampleDir)
        }
        return result
    }()

    private init() throws {
        db = try TestDatabase.initialized(prefix: "dashboard")
        sampleDir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-dashboard-\(UUID().uuidString)")
        let target = sampleDir.appendingPathComponent("target").path
        let s = sampleDir.path
        for args in [["sample", "--weeks", "12", "--seed", "42", "--out", s],
                     ["load", "hevy-csv", "\(s)/hevy_workouts.csv", "--athlete", "me", "--timezone", "Europe/Lisbon"],
                     ["load", "nutrition", "\(s)/cronometer_dailysummary.csv", "--athlete", "me"],
                     ["load", "body-weight", "\(s)/body_weight.csv", "--athlete", "me"],
                     ["build", "--project-dir", TestPaths.repoRoot.appendingPathComponent("dbt_style_models").path, "--target-dir", target]] {
            do { try run(args) } catch {
                db.drop()
                try? FileManager.default.removeItem(at: sampleDir)
                throw error
            }
        }
    }

    /// Runs `fitdata args…` against the fixture's database; throws with its stderr when it fails.
    @discardableResult
    func run(_ args: [String]) throws -> FitdataProcess.Output {
        let out = try FitdataProcess.run(args, environment: ["DATABASE_URL": db.conninfo])
        guard out.status == 0 else { throw FixtureError(description: "fitdata \(args.joined(separator: " ")) exited \(out.status): \(out.stderr)") }
        return out
    }

    /// A new connection to the fixture's database.
    func connect() throws -> Connection { try db.connect() }

    struct FixtureError: Error, CustomStringConvertible { let description: String }
}
