import ArgumentParser
import Foundation
import ModelRunner

/// `fitdata deps`: installs the packages of packages.yml / dependencies.yml into dbt_packages/ (see PackageInstaller).
struct DepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deps",
        abstract: "Install the packages of packages.yml into dbt_packages/ (local: copied, git: cloned; writes package-lock.yml).")

    @Option(name: .long, help: "The dbt-style project folder (holding dbt_project.yml).")
    var projectDir = "dbt_style_models"

    @Flag(name: .long, help: "Resolve again even when package-lock.yml matches packages.yml (git revisions move to what they name now).")
    var upgrade = false

    func run() throws {
        let installer = PackageInstaller(projectDir: URL(fileURLWithPath: projectDir), upgrade: upgrade) { line in
            print(line)
        }
        do {
            let installed = try installer.install()
            print("fitdata deps: \(installed.count) package\(installed.count == 1 ? "" : "s") installed")
        } catch let e as PackageErrors {
            for error in e.errors { FileHandle.standardError.write(Data("error: \(error)\n".utf8)) }
            throw ExitCode(2)
        } catch let e as ProjectError {
            FileHandle.standardError.write(Data("error: \(e)\n".utf8))
            throw ExitCode(2)
        }
    }
}
