import Foundation
import Testing
import TestSupport

/// `scripts/compat-dbt.sh PROJECT=Tests/Fixtures/dbt_utils_project`: fitdata and dbt-core 1.11 build the fixture
/// (dbt_utils and dbt_date from their own source, dbt's built-in macros, generic tests) and every relation is
/// equal row for row. Needs `../shared/vendor/dbt-packages` and the built `fitdata`; the script makes `.venv-dbt`.
@Suite(.serialized) struct DbtCompatTests {
    static var vendorPackages: URL {
        if let dir = ProcessInfo.processInfo.environment["COMPAT_PACKAGES_DIR"] { return URL(fileURLWithPath: dir) }
        return TestPaths.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/vendor/dbt-packages")
    }
    static var dbt: URL { TestPaths.repoRoot.appendingPathComponent(".venv-dbt/bin/dbt") }
    /// Runs in CI (fails there when something is missing); elsewhere when the packages and dbt are at hand.
    static var enabled: Bool {
        TestPaths.isCI || (FileManager.default.fileExists(atPath: vendorPackages.appendingPathComponent("dbt_utils").path)
                           && FileManager.default.isExecutableFile(atPath: dbt.path))
    }
    static let skipReason = "needs ../shared/vendor/dbt-packages (or COMPAT_PACKAGES_DIR) and .venv-dbt (make compat-dbt creates it)"

    @Test(.enabled(if: enabled, Comment(rawValue: skipReason)))
    func dbtUtilsFixtureEqualsDbtCore() throws {
        #expect(FileManager.default.fileExists(atPath: Self.vendorPackages.appendingPathComponent("dbt_utils/dbt_project.yml").path),
                "dbt_utils missing in \(Self.vendorPackages.path)")
        let db = "fitdata_compat_test_\(UUID().uuidString.prefix(8).lowercased())"
        let out = try ChildProcess.run(URL(fileURLWithPath: "/bin/bash"),
                                       [TestPaths.repoRoot.appendingPathComponent("scripts/compat-dbt.sh").path], environment: [
            "PROJECT": TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/dbt_utils_project").path,
            "FITDATA": FitdataProcess.executable.path,
            "FITDATA_COMPAT_DB": db,
            "COMPAT_PACKAGES_DIR": Self.vendorPackages.path,
        ], timeout: 1800)
        defer { _ = try? ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["psql", "-X", "-q", "-d", "postgres", "-c", "drop database if exists \(db) with (force)"]) }
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(out.status == 0, "compat-dbt failed:\n\(out.stdout)\n\(out.stderr.suffix(4000))")
        #expect(!lines.contains { $0.hasPrefix("DIFF") })
        // every model and seed of the fixture was compared
        for name in ["seed.dbt_utils_compat.orders", "model.dbt_utils_compat.utils_star", "model.dbt_utils_compat.utils_pivot",
                     "model.dbt_utils_compat.utils_union", "model.dbt_utils_compat.utils_date_spine",
                     "model.dbt_utils_compat.dbt_date_dimension", "model.dbt_utils_compat.builtin_dates",
                     "model.dbt_utils_compat.builtin_aggregates", "model.dbt_utils_compat.stg_orders"] {
            #expect(lines.contains { $0.hasPrefix("OK    \(name) ") }, "\(name) not compared identical")
        }
    }

    /// Tests/Fixtures/package_models_project: a local package's models, seed, properties and tests, built by fitdata and
    /// by dbt-core 1.11: every relation equal row for row, and the manifests hold the same unique ids.
    @Test(.enabled(if: enabled, Comment(rawValue: skipReason)))
    func packageModelsFixtureEqualsDbtCore() throws {
        let db = "fitdata_compat_test_\(UUID().uuidString.prefix(8).lowercased())"
        let out = try ChildProcess.run(URL(fileURLWithPath: "/bin/bash"),
                                       [TestPaths.repoRoot.appendingPathComponent("scripts/compat-dbt.sh").path], environment: [
            "PROJECT": TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/package_models_project").path,
            "FITDATA": FitdataProcess.executable.path,
            "FITDATA_COMPAT_DB": db,
            "COMPAT_PACKAGES_DIR": Self.vendorPackages.path,
            "KEEP_COMPAT_DIR": "1",
        ], timeout: 1800)
        defer { _ = try? ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["psql", "-X", "-q", "-d", "postgres", "-c", "drop database if exists \(db) with (force)"]) }
        let kept = out.stderr.split(separator: "\n").compactMap { line in line.range(of: "compat-dbt: kept ").map { String(line[$0.upperBound...]) } }.last
        defer { if let kept { try? FileManager.default.removeItem(atPath: kept) } }
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(out.status == 0, "compat-dbt failed:\n\(out.stdout)\n\(out.stderr.suffix(4000))")
        #expect(!lines.contains { $0.hasPrefix("DIFF") })
        for name in ["seed.local_pkg.pkg_countries", "snapshot.local_pkg.pkg_countries_snap", "model.local_pkg.pkg_customers", "model.local_pkg.pkg_rates",
                     "model.pkg_models_root.root_report"] {
            #expect(lines.contains { $0.hasPrefix("OK    \(name) ") }, "\(name) not compared identical")
        }
        // The manifests name the same nodes and sources (run hooks aside): models, seeds, tests and sources of both.
        let dir = try #require(kept, "compat-dbt did not keep its folder")
        func ids(_ path: String) throws -> Set<String> {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
            let nodes = (json?["nodes"] as? [String: Any] ?? [:]).keys.filter { !$0.hasPrefix("operation.") }
            return Set(nodes).union((json?["sources"] as? [String: Any] ?? [:]).keys)
        }
        let ours = try ids(dir + "/project/target/manifest.json"), theirs = try ids(dir + "/dbt-target/manifest.json")
        #expect(ours == theirs, "only fitdata: \(ours.subtracting(theirs).sorted()); only dbt: \(theirs.subtracting(ours).sorted())")
        #expect(ours.count == 14)
    }
}
