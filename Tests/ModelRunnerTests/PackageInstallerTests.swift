import Foundation
import Testing
@testable import ModelRunner

/// `fitdata deps` (PackageInstaller) and the check that a build's declared packages are installed.
@Suite struct PackageInstallerTests {
    /// A temp folder holding a project in `project/` and anything else beside it.
    final class Workspace {
        let dir: URL
        init(_ files: [String: String]) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-deps-\(UUID().uuidString.prefix(8))")
            var all = files
            if all["project/dbt_project.yml"] == nil { all["project/dbt_project.yml"] = "name: proj\nversion: '1.0'\n" }
            for (path, text) in all { try write(path, text) }
        }
        deinit { try? FileManager.default.removeItem(at: dir) }
        var project: URL { dir.appendingPathComponent("project") }
        func write(_ path: String, _ text: String) throws {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        func read(_ path: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8) }
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: dir.appendingPathComponent(path).path) }
        func install(upgrade: Bool = false) throws -> [PackageInstaller.Installed] {
            try PackageInstaller(projectDir: project, upgrade: upgrade).install()
        }
        /// Runs git in `path` (a folder of the workspace); returns its output.
        @discardableResult
        func git(_ path: String, _ args: String...) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", dir.appendingPathComponent(path).path, "-c", "user.name=t", "-c", "user.email=t@example.com"] + args
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "git \(args)")
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The messages of the errors an install throws.
    func installErrors(_ ws: Workspace) -> [String] {
        do { _ = try ws.install(); return [] } catch let e as PackageErrors { return e.errors.map(\.description) } catch { return ["\(error)"] }
    }

    @Test func localPackageIsCopiedUnderItsProjectNameAndLocked() throws {
        let ws = try Workspace([
            "project/packages.yml": "packages:\n  - local: ../vendor/some-pkg\n",
            "vendor/some-pkg/dbt_project.yml": "name: some_pkg\nversion: '0.1.0'\n",
            "vendor/some-pkg/macros/m.sql": "{% macro m() %}1{% endmacro %}",
            "vendor/some-pkg/.git/HEAD": "ref: x",
            "vendor/some-pkg/target/junk.sql": "x",
        ])
        let installed = try ws.install()
        #expect(installed == [.init(name: "some_pkg", source: "local: ../vendor/some-pkg")])
        #expect(try ws.read("project/dbt_packages/some_pkg/macros/m.sql") == "{% macro m() %}1{% endmacro %}")
        #expect(!ws.exists("project/dbt_packages/some_pkg/.git"))
        #expect(!ws.exists("project/dbt_packages/some_pkg/target"))
        let lock = try ws.read("project/package-lock.yml")
        #expect(lock.contains("- local: ../vendor/some-pkg\n    name: some_pkg\n"))
        #expect(lock.contains("sha1_hash: "))

        // Idempotent: a second run gives the same tree and lock; a folder nobody declares goes away.
        try ws.write("project/dbt_packages/stale/dbt_project.yml", "name: stale\n")
        #expect(try ws.install() == installed)
        #expect(!ws.exists("project/dbt_packages/stale"))
        #expect(try ws.read("project/package-lock.yml") == lock)
        #expect(!ws.exists("project/.fitdata-deps-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    /// A package that contains the project (dbt_date's integration_tests declare `local: ../`) is copied
    /// without copying the install folder into itself.
    @Test func localPackageContainingTheProject() throws {
        let ws = try Workspace([
            "pkg/dbt_project.yml": "name: outer\nversion: '1.0.0'\n",
            "pkg/macros/a.sql": "{% macro a() %}{% endmacro %}",
            "pkg/integration_tests/dbt_project.yml": "name: outer_tests\n",
            "pkg/integration_tests/packages.yml": "packages:\n  - local: ../\n",
        ])
        _ = try PackageInstaller(projectDir: ws.dir.appendingPathComponent("pkg/integration_tests")).install()
        #expect(ws.exists("pkg/integration_tests/dbt_packages/outer/macros/a.sql"))
        #expect(ws.exists("pkg/integration_tests/dbt_packages/outer/integration_tests/dbt_project.yml"))
        #expect(!ws.exists("pkg/integration_tests/dbt_packages/outer/integration_tests/dbt_packages"))
    }

    @Test func packagesOfPackagesAreInstalledToo() throws {
        let ws = try Workspace([
            "project/packages.yml": "packages:\n  - local: ../a\n",
            "a/dbt_project.yml": "name: pkg_a\n",
            "a/packages.yml": "packages:\n  - local: ../b\n",   // resolved from the root project, as dbt does
            "b/dbt_project.yml": "name: pkg_b\n",
        ])
        #expect(try ws.install().map(\.name) == ["pkg_a", "pkg_b"])
        #expect(ws.exists("project/dbt_packages/pkg_b/dbt_project.yml"))
    }

    @Test func gitPackageIsClonedAtItsRevisionAndTheLockPinsTheCommit() throws {
        let ws = try Workspace([
            "repo/sub/dbt_project.yml": "name: git_pkg\nversion: '1.0.0'\n",
            "repo/sub/macros/v.sql": "v1",
        ])
        try ws.git("repo", "init", "-q")
        try ws.git("repo", "add", ".")
        try ws.git("repo", "commit", "-q", "-m", "v1")
        try ws.git("repo", "tag", "v1")
        let v1 = try ws.git("repo", "rev-parse", "HEAD")
        try ws.write("repo/sub/macros/v.sql", "v2")
        try ws.git("repo", "commit", "-q", "-am", "v2")
        let url = ws.dir.appendingPathComponent("repo").path
        try ws.write("project/packages.yml", "packages:\n  - git: \"\(url)\"\n    revision: v1\n    subdirectory: sub\n")

        #expect(try ws.install().map(\.name) == ["git_pkg"])
        #expect(try ws.read("project/dbt_packages/git_pkg/macros/v.sql") == "v1")
        #expect(!ws.exists("project/dbt_packages/git_pkg/.git"))
        let lock = try ws.read("project/package-lock.yml")
        #expect(lock.contains("revision: \(v1)"))
        #expect(lock.contains("subdirectory: sub"))

        // The lock is followed while packages.yml is unchanged, even after the tag moves.
        try ws.git("repo", "tag", "-f", "v1", "HEAD")
        _ = try ws.install()
        #expect(try ws.read("project/dbt_packages/git_pkg/macros/v.sql") == "v1")
        _ = try ws.install(upgrade: true)
        #expect(try ws.read("project/dbt_packages/git_pkg/macros/v.sql") == "v2")
    }

    /// A clone that fails (here: no such repository; offline: no network) names the entry's line and the package,
    /// and every failing entry is reported in the same run; the previous install stays.
    @Test func failuresNameEachPackageAndLeaveThePreviousInstall() throws {
        let ws = try Workspace([
            "project/packages.yml": "packages:\n  - local: ../ok\n",
            "ok/dbt_project.yml": "name: ok_pkg\n",
        ])
        _ = try ws.install()
        try ws.write("project/packages.yml", """
            packages:
              - local: ../ok
              - git: "https://invalid.invalid/nobody/nothing.git"
                revision: 1.0.0
              - local: ../missing
            """)
        let errors = installErrors(ws)
        #expect(errors.count == 2)
        #expect(errors.first?.hasPrefix("packages.yml:3:5: git: https://invalid.invalid/nobody/nothing.git@1.0.0: git clone failed") == true)
        #expect(errors.last?.hasPrefix("packages.yml:5:5: local package ../missing not found") == true)
        #expect(ws.exists("project/dbt_packages/ok_pkg/dbt_project.yml"))
    }

    /// A hub package is never downloaded: an installed one is kept as it is (its files do not say which Hub version
    /// it is), a missing one is an error naming it and the alternatives.
    @Test func hubPackagesAreKeptWhenInstalled() throws {
        let ws = try Workspace([
            "project/packages.yml": "packages:\n  - package: dbt-labs/dbt_utils\n    version: [\">=1.0.0\", \"<2.0.0\"]\n",
        ])
        let missing = installErrors(ws)
        #expect(missing == ["packages.yml:2:5: package dbt-labs/dbt_utils is not installed in dbt_packages/dbt_utils; fitdata deps does "
                            + "not download from the dbt Package Hub: run `dbt deps`, or declare it as `git:` (its repository, "
                            + "`revision:` a tag) or `local:`"])
        #expect(!ws.exists("project/package-lock.yml"))

        try ws.write("project/dbt_packages/dbt_utils/dbt_project.yml", "name: dbt_utils\nversion: '0.1.0'\n")
        try ws.write("project/dbt_packages/dbt_utils/macros/star.sql", "{% macro star() %}{% endmacro %}")
        #expect(try ws.install() == [.init(name: "dbt_utils", source: "package: dbt-labs/dbt_utils")])
        #expect(try ws.read("project/dbt_packages/dbt_utils/macros/star.sql") == "{% macro star() %}{% endmacro %}")
        #expect(try ws.read("project/package-lock.yml").hasPrefix(
            "packages:\n  - package: dbt-labs/dbt_utils\n    version: [\">=1.0.0\", \"<2.0.0\"]\n    name: dbt_utils\nsha1_hash: "))
    }

    @Test func malformedEntriesAreAllReportedWithTheirPosition() throws {
        let ws = try Workspace([
            "project/packages.yml": """
                packages:
                  - local: ../a
                    git: https://x/y.git
                  - package: dbt-labs/dbt_utils
                  - tarball: https://x/y.tgz
                    name: y
                  - git: "https://{{ env_var('TOKEN') }}@x/y.git"
                  - locall: ../b
                """,
        ])
        #expect(installErrors(ws) == [
            "packages.yml:2:5: a package entry has both local and git:",
            "packages.yml:4:5: a hub package needs `version:`",
            "packages.yml:5:14: `tarball:` packages are not supported by fitdata deps (use git: or local:)",
            "packages.yml:7:10: `git` uses Jinja; fitdata deps does not render packages.yml (write the value out)",
            "packages.yml:8:13: unknown key `locall` in a package entry",
        ])
    }

    @Test func packagesInBothFilesIsAnError() throws {
        let ws = try Workspace([
            "project/packages.yml": "packages:\n  - local: ../a\n",
            "project/dependencies.yml": "packages:\n  - local: ../a\n",
            "a/dbt_project.yml": "name: a\n",
        ])
        #expect(installErrors(ws).first?.contains("the 'packages' key cannot be specified in both packages.yml and dependencies.yml") == true)
        try FileManager.default.removeItem(at: ws.project.appendingPathComponent("packages.yml"))
        #expect(try ws.install().map(\.name) == ["a"])   // dependencies.yml alone is read
    }

    @Test func checkNamesEveryMissingPackageAndSuggestsDeps() throws {
        let ws = try Workspace([
            "project/packages.yml": """
                packages:
                  - local: ../a
                  - package: calogica/dbt_date
                    version: 0.17.1
                  - git: https://github.com/dbt-labs/dbt-utils.git
                    revision: 1.3.3
                """,
            "a/dbt_project.yml": "name: pkg_a\n",
        ])
        do {
            _ = try InstalledPackages.check(projectRoot: ws.project)
            Issue.record("expected missing packages")
        } catch let e as PackageErrors {
            #expect(e.errors.map(\.description) == [
                "packages.yml:2:5: package local: ../a is not installed in dbt_packages/ (run `fitdata deps`)",
                "packages.yml:3:5: package package: calogica/dbt_date is not installed in dbt_packages/ (run `fitdata deps`)",
                "packages.yml:5:5: package git: https://github.com/dbt-labs/dbt-utils.git@1.3.3 is not installed in dbt_packages/ (run `fitdata deps`)",
            ])
        }
        for name in ["pkg_a", "dbt_date", "dbt_utils"] {
            try ws.write("project/dbt_packages/\(name)/dbt_project.yml", "name: \(name)\n")
        }
        #expect(try InstalledPackages.check(projectRoot: ws.project).folders.keys.sorted() == ["dbt_date", "dbt_utils", "pkg_a"])
    }
}

/// A build of a project whose packages are not installed stops before anything runs, naming each package.
@Suite struct MissingPackageBuildTests {
    @Test func buildNamesTheMissingPackageAndSuggestsDeps() throws {
        let fx = try Fixture("nodeps", files: [
            "packages.yml": "packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.3.3\n",
            "models/a.sql": "select 1 as x",
        ])
        let out = fx.run(.build)
        #expect(out.exitCode == 2)
        #expect(out.results.isEmpty)
        #expect(fx.errorOutput.contains("error: packages.yml:2:5: package package: dbt-labs/dbt_utils is not installed in dbt_packages/ (run `fitdata deps`)"))
    }
}
