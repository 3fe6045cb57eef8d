import Foundation
import TestSupport

/// The built `fitdata sync hevy` run against a harness's server and database, as a user would run it.
struct SyncCLI {
    let harness: SyncHarness

    /// The environment of a run: the key, `HEVY_API_URL` (default: the fake server) and `DATABASE_URL`.
    func environment(apiURL: String? = nil) -> [String: String] {
        ["HEVY_API_KEY": harness.apiKey, "HEVY_API_URL": apiURL ?? harness.server.baseURL.absoluteString,
         "DATABASE_URL": harness.database.conninfo]
    }

    /// Runs `fitdata sync hevy args…` to the end.
    func run(_ args: [String] = [], apiURL: String? = nil) async throws -> FitdataProcess.Output {
        let env = environment(apiURL: apiURL)
        return try await onThread { try FitdataProcess.run(["sync", "hevy", "--delay-ms", "0"] + args, environment: env) }
    }

    /// Starts `fitdata sync hevy args…` without waiting; its output is discarded.
    func start(_ args: [String] = []) throws -> Process {
        let p = Process()
        p.executableURL = FitdataProcess.executable
        p.arguments = ["sync", "hevy", "--delay-ms", "0"] + args
        p.environment = ProcessInfo.processInfo.environment.merging(environment()) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }
}
