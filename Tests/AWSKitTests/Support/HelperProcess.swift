import Foundation
import TestSupport

/// A Python helper (fake server) the tests start: it prints one line when ready, answers one line per
/// command line on stdin, and exits when stdin closes, so it cannot outlive the test process.
final class HelperProcess: @unchecked Sendable {
    /// The line the helper printed when it was ready.
    let readyLine: String
    private let process = Process()
    private let stdin = Pipe()
    private let stdout = Pipe()
    private var buffer = Data()
    private let lock = NSLock()

    init(python: String, script: String, arguments: [String] = [], startupSeconds: TimeInterval = 60) throws {
        let path = TestPaths.repoRoot.appendingPathComponent("Tests/fake_aws/\(script)").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, path] + arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        readyLine = try Self.readLine(stdout, buffer: &buffer, deadline: Date().addingTimeInterval(startupSeconds), script: script)
    }

    deinit { stop() }

    /// Sends `command` and returns the helper's one-line answer.
    func ask(_ command: String) throws -> String {
        lock.lock(); defer { lock.unlock() }
        stdin.fileHandleForWriting.write(Data((command + "\n").utf8))
        return try Self.readLine(stdout, buffer: &buffer, deadline: Date().addingTimeInterval(30), script: "helper")
    }

    /// Stops the helper (idempotent).
    func stop() {
        guard process.isRunning else { return }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private static func readLine(_ pipe: Pipe, buffer: inout Data, deadline: Date, script: String) throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[buffer.index(after: newline)...])
                return line
            }
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty || Date() > deadline { throw HelperError.noAnswer(script, String(decoding: buffer, as: UTF8.self)) }
            buffer.append(chunk)
        }
    }

    enum HelperError: Error, CustomStringConvertible {
        case noAnswer(String, String)
        var description: String {
            switch self { case let .noAnswer(script, partial): return "\(script) exited or stalled before answering (got: \(partial))" }
        }
    }
}

/// The interpreter of `.venv-test` (`make test-venv`), where moto is installed; `FITDATA_TEST_PYTHON` overrides.
enum TestPython {
    static var path: String {
        ProcessInfo.processInfo.environment["FITDATA_TEST_PYTHON"]
            ?? TestPaths.repoRoot.appendingPathComponent(".venv-test/bin/python").path
    }

    /// Whether `import moto, boto3` works with ``path``.
    static let hasMoto: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [path, "-c", "import moto.server, boto3"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    /// Moto tests run when moto is installed, and always in CI (where its absence fails them).
    static var motoEnabled: Bool { TestPaths.isCI || hasMoto }
    static let motoSkipReason = "moto[server] is not installed in .venv-test: run `make test-venv`"
}
