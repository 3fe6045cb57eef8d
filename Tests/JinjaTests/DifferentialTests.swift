import Foundation
import Jinja
import Testing
import TestSupport

/// The engine against Python's Jinja2 3.1 on the corpus: the same output, or an error in both.
@Suite struct DifferentialTests {
    /// Jinja2's results per case, from jinja2_render.py run by the test venv's interpreter.
    static func reference() throws -> [String: (ok: String?, error: String?)] {
        let p = Process()
        p.executableURL = PythonHelper.interpreter
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("jinja2_render.py")
        p.arguments = [script.path] + Corpus.files.map(\.path)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw CorpusError.badContext("jinja2_render.py failed: " + String(decoding: errData, as: UTF8.self))
        }
        let json = try JSONSerialization.jsonObject(with: data) as! [String: [String: String]]
        return json.mapValues { (ok: $0["ok"], error: $0["error"]) }
    }

    @Test(.enabled(if: PythonHelper.enabled, Comment(rawValue: PythonHelper.skipReason)))
    func corpusMatchesJinja2() throws {
        let cases = try Corpus.cases()
        #expect(cases.count >= 180, "the corpus has \(cases.count) cases")
        #expect(Set(cases.map(\.name)).count == cases.count, "case names are unique")
        let reference = try Self.reference()
        let env = Environment()
        // dbt's modules.datetime and run_started_at, on the clock jinja2_render.py fixes (2024-02-29 13:45:30.123456 UTC).
        let zone = LocalZone(now: { 1_709_214_330_123_456 }, offsetAt: { _ in (0, "UTC") })
        env.globals["modules"] = .dictionary([("datetime", PythonDatetime.module(zone))])
        env.globals["run_started_at"] = PythonDatetime.utcDatetime(unixMicros: 1_709_214_330_123_456, zone: zone)
        var mismatches: [String] = []
        for c in cases {
            guard let want = reference[c.name] else { mismatches.append("\(c.name): no reference result"); continue }
            let got: Result<String, Error> = Result { try env.render(c.source, name: c.name, context: c.context) }
            switch (got, want.ok) {
            case (.success(let s), let w?):
                if s != w { mismatches.append("\(c.name): got \(s.debugDescription), Jinja2 \(w.debugDescription)") }
            case (.success(let s), nil):
                mismatches.append("\(c.name): got \(s.debugDescription), Jinja2 failed: \(want.error ?? "")")
            case (.failure(let e), let w?):
                mismatches.append("\(c.name): failed \(e), Jinja2 rendered \(w.debugDescription)")
            case (.failure(let e), nil):
                let text = "\(e)"
                if !text.hasPrefix(c.name + ":") { mismatches.append("\(c.name): error without template:line:column: \(text)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases.count) cases differ:\n\(mismatches.joined(separator: "\n"))")
    }
}
