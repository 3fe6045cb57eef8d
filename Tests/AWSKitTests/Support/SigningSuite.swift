import Foundation
import TestSupport

/// AWS's published SigV4 cases (`../shared/vendor/aws-signing-test-suite/v4`), one folder per case.
enum SigningSuite {
    /// The `v4` folder: `FITDATA_SHARED_DIR`, else `../shared` next to the repository; nil when absent.
    static var directory: URL? {
        let env = ProcessInfo.processInfo.environment
        let roots = [env["FITDATA_SHARED_DIR"].map { URL(fileURLWithPath: $0) },
                     TestPaths.repoRoot.deletingLastPathComponent().appendingPathComponent("shared")].compactMap { $0 }
        return roots.map { $0.appendingPathComponent("vendor/aws-signing-test-suite/v4") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Whether the suite runs: when present, and always in CI (where a missing suite fails the test).
    static var enabled: Bool { TestPaths.isCI || directory != nil }
    static let skipReason = "../shared/vendor/aws-signing-test-suite not found next to the repository (set FITDATA_SHARED_DIR)"

    /// One case: its context, the parsed request and the expected outputs.
    struct Case {
        let name: String
        let folder: URL
        let context: [String: Any]
        let method: String
        let path: String
        let query: String?
        let headers: [(name: String, value: String)]
        let body: Data

        func expected(_ file: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        }
    }

    /// Every case folder, sorted by name.
    static func cases() throws -> [Case] {
        guard let dir = directory else { throw MissingSuite() }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.map { try load(dir.appendingPathComponent($0)) }
    }

    /// Parses `request.txt` (request line, headers with folded continuation lines, body) and `context.json`.
    static func load(_ folder: URL) throws -> Case {
        let context = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("context.json"))) as! [String: Any]
        let raw = try String(contentsOf: folder.appendingPathComponent("request.txt"), encoding: .utf8)
        let (head, body): (Substring, Substring)
        if let blank = raw.range(of: "\n\n") { (head, body) = (raw[..<blank.lowerBound], raw[blank.upperBound...]) } else { (head, body) = (raw[...], "") }
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        var target = String(requestLine.dropFirst(method.count + 1))
        if target.hasSuffix(" HTTP/1.1") { target.removeLast(" HTTP/1.1".count) }
        let (path, query): (String, String?) = target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) } ?? (target, nil)
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        return Case(name: folder.lastPathComponent, folder: folder, context: context, method: method, path: path,
                    query: query, headers: headers, body: Data(body.utf8))
    }

    struct MissingSuite: Error, CustomStringConvertible {
        var description: String { "../shared/vendor/aws-signing-test-suite is missing: the SigV4 vector tests cannot run (CI must have it)" }
    }
}
