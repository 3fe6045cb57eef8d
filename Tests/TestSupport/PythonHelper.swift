import Foundation

/// A Python helper server a test starts (a fake third-party service): the venv's interpreter runs a script
/// that prints `PORT <n>` once listening and exits when its stdin closes, so it cannot outlive the tests.
public final class PythonHelper: @unchecked Sendable {
    /// The port the script printed.
    public let port: Int
    private let process = Process()
    private let stdin = Pipe()

    /// `.venv-test/bin/python` (made by `make test-venv` from scripts/test-requirements.txt), or `FITDATA_TEST_PYTHON`.
    public static var interpreter: URL {
        if let p = ProcessInfo.processInfo.environment["FITDATA_TEST_PYTHON"] { return URL(fileURLWithPath: p) }
        return TestPaths.repoRoot.appendingPathComponent(".venv-test/bin/python")
    }

    /// Whether tests needing the venv's packages run: when the interpreter exists, and always in CI (where a
    /// missing one fails the test).
    public static var enabled: Bool { TestPaths.isCI || FileManager.default.isExecutableFile(atPath: interpreter.path) }

    /// Why such a test is skipped.
    public static let skipReason = ".venv-test/bin/python not found: run `make test-venv` (scripts/test-requirements.txt)"

    /// True when `module` imports in the interpreter.
    public static func canImport(_ module: String) -> Bool {
        let p = Process()
        p.executableURL = interpreter
        p.arguments = ["-c", "import \(module)"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// Starts `script` (a path relative to the repository) with `arguments` and waits for its `PORT` line; with
    /// `systemPython` the script runs on the system's `python3` (scripts that need only the standard library).
    public init(script: String, arguments: [String], environment: [String: String] = [:], systemPython: Bool = false) throws {
        let path = TestPaths.repoRoot.appendingPathComponent(script).path
        if systemPython {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", path] + arguments
        } else {
            process.executableURL = Self.interpreter
            process.arguments = [path] + arguments
        }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        do { try process.run() } catch { throw PythonHelperError.startFailed("\(process.executableURL?.path ?? script): \(error)") }
        var buffer = Data()
        let deadline = Date().addingTimeInterval(20)
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty || Date() > deadline { throw PythonHelperError.startFailed(script + ": " + String(decoding: buffer, as: UTF8.self)) }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n")[0]
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else { throw PythonHelperError.startFailed(script + ": " + String(line)) }
        self.port = port
    }

    deinit { stop() }

    /// Stops the helper (idempotent).
    public func stop() {
        guard process.isRunning else { return }
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}

/// A helper server did not start.
public enum PythonHelperError: Error, CustomStringConvertible {
    case startFailed(String)
    public var description: String {
        switch self { case .startFailed(let m): return "the helper server did not start: \(m)" }
    }
}
