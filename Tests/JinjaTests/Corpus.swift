import Foundation
import Jinja

/// One case of the differential corpus (Tests/JinjaTests/corpus/*.jinja): see jinja2_render.py for the format.
struct CorpusCase {
    let name: String
    let context: [String: Value]
    let source: String
}

/// Reads the corpus files the same way jinja2_render.py does.
enum Corpus {
    static var directory: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("corpus") }

    static var files: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".jinja") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func cases() throws -> [CorpusCase] {
        var out: [CorpusCase] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            var name: String?
            var ctx: [String: Value] = [:]
            var ctxSet = false
            var lines: [String] = []
            func flush() { if let n = name { out.append(CorpusCase(name: n, context: ctx, source: lines.joined(separator: "\n"))) } }
            for line in text.utf8.split(separator: 10, omittingEmptySubsequences: false).map({ String(decoding: $0, as: UTF8.self) }) {
                if line.hasPrefix("### ") {
                    flush()
                    name = String(line.dropFirst(4)).trimmingCharacters(in: .whitespaces)
                    ctx = [:]; ctxSet = false; lines = []
                } else if name != nil && lines.isEmpty && !ctxSet && line.hasPrefix("#ctx ") {
                    var p = JSONReader(Array(line.dropFirst(5).utf8))
                    guard case .dict(let d) = try p.value() else { throw CorpusError.badContext(name!) }
                    for (k, v) in d.entries { ctx[k.pythonString] = v }
                    ctxSet = true
                } else if name != nil {
                    lines.append(line)
                }
            }
            flush()
        }
        return out
    }
}

enum CorpusError: Error { case badContext(String), badJSON(Int) }

/// A small JSON reader that keeps object key order (Foundation's does not), producing Jinja values.
struct JSONReader {
    let b: [UInt8]
    var i = 0
    init(_ b: [UInt8]) { self.b = b }

    mutating func skip() { while i < b.count && (b[i] == 32 || b[i] == 10 || b[i] == 9 || b[i] == 13) { i += 1 } }

    mutating func value() throws -> Value {
        skip()
        guard i < b.count else { throw CorpusError.badJSON(i) }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            let d = DictBox()
            skip()
            if b[i] == UInt8(ascii: "}") { i += 1; return .dict(d) }
            while true {
                skip()
                let k = try value()
                skip()
                guard b[i] == UInt8(ascii: ":") else { throw CorpusError.badJSON(i) }
                i += 1
                d[k] = try value()
                skip()
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "}") else { throw CorpusError.badJSON(i) }
                i += 1
                return .dict(d)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [Value] = []
            skip()
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value())
                skip()
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "]") else { throw CorpusError.badJSON(i) }
                i += 1
                return .array(items)
            }
        case UInt8(ascii: "\""):
            let start = i
            i += 1
            while b[i] != UInt8(ascii: "\"") { if b[i] == 92 { i += 1 }; i += 1 }
            i += 1
            let s = try JSONSerialization.jsonObject(with: Data(b[start..<i]), options: .fragmentsAllowed) as! String
            return .string(s)
        case UInt8(ascii: "t"): i += 4; return .bool(true)
        case UInt8(ascii: "f"): i += 5; return .bool(false)
        case UInt8(ascii: "n"): i += 4; return .none
        default:
            let start = i
            while i < b.count && "+-0123456789.eE".utf8.contains(b[i]) { i += 1 }
            let t = String(decoding: b[start..<i], as: UTF8.self)
            if let n = Int(t) { return .int(n) }
            guard let d = Double(t) else { throw CorpusError.badJSON(start) }
            return .double(d)
        }
    }
}
