import Foundation
import Jinja

/// Jinja inside YAML, rendered where dbt renders it: dbt_project.yml vars and config values, and in properties files
/// descriptions (`{{ doc('name') }}`), `config:` values, and sources' `schema` / `database`.
extension DbtJinja {
    /// `text` rendered in parse mode when it holds Jinja; errors cite the YAML value's line (`at`).
    func renderYAMLString(_ text: String, at loc: SourceLocation) throws -> String {
        guard text.contains("{{") || text.contains("{%") else { return text }
        let state = RenderState(mode: .parse, file: loc.file)
        do {
            let template = try parseEnv.parse(text, name: loc.file)
            return try RenderState.with(state) { try parseEnv.render(template) }
        } catch let e as JinjaError {
            let line = loc.line + max(e.line, 1) - 1
            throw ProjectError(Secrets.redact(e.message), at: SourceLocation(file: loc.file, line: line, column: max(e.column, 1)))
        }
    }

    /// Every string holding Jinja inside `value` rendered, as dbt's native rendering does (`"{{ false }}"` is the
    /// boolean false); keys in `skipKeys` (hooks, rendered when they run) are kept as written.
    func renderYAMLValue(_ value: ConfigValue, at loc: SourceLocation, skipKeys: Set<String> = []) throws -> ConfigValue {
        switch value {
        case .string(let s):
            guard s.contains("{{") || s.contains("{%") else { return value }
            return Self.native(try renderYAMLString(s, at: loc))
        case .list(let l):
            return .list(try l.map { try renderYAMLValue($0, at: loc, skipKeys: skipKeys) })
        case .dict(let d):
            return .dict(try d.map { k, v in (k, skipKeys.contains(k) ? v : try renderYAMLValue(v, at: loc, skipKeys: skipKeys)) })
        default:
            return value
        }
    }

    /// A rendered string as the Python literal it spells, when it spells one (`True`, `none`, `3`, `2.5`).
    static func native(_ s: String) -> ConfigValue {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        switch t {
        case "True", "true": return .bool(true)
        case "False", "false": return .bool(false)
        case "None", "none": return .null
        default: break
        }
        if let i = Int(t) { return .int(i) }
        if let d = Double(t), t.contains(".") { return .double(d) }
        return .string(s)
    }

    /// Reads `{% docs name %}…{% enddocs %}` blocks from the `.md` files under `dirs` (project-relative).
    func loadDocs(root: URL, dirs: [String]) throws {
        var blocks: [String: String] = [:]
        for dir in dirs {
            guard let subs = try? FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent(dir).path) else { continue }
            for sub in subs.sorted() where sub.hasSuffix(".md") {
                let rel = dir + "/" + sub
                guard let text = try? String(contentsOf: root.appendingPathComponent(rel), encoding: .utf8) else { continue }
                for (name, body) in try Self.docsBlocks(text, file: rel) {
                    if blocks[name] != nil { throw ProjectError("docs block '\(name)' is defined twice", at: SourceLocation(file: rel, line: 1)) }
                    blocks[name] = body
                }
            }
        }
        docs = blocks
    }

    /// The docs blocks of one `.md` file.
    static func docsBlocks(_ text: String, file: String) throws -> [(String, String)] {
        var out: [(String, String)] = []
        var rest = Substring(text)
        let open = try NSRegularExpression(pattern: #"\{%-?\s*docs\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}"#)
        let close = try NSRegularExpression(pattern: #"\{%-?\s*enddocs\s*-?%\}"#)
        while true {
            let s = String(rest)
            let ns = s as NSString
            guard let m = open.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { break }
            let name = ns.substring(with: m.range(at: 1))
            let after = m.range.location + m.range.length
            guard let c = close.firstMatch(in: s, range: NSRange(location: after, length: ns.length - after)) else {
                let line = ns.substring(to: m.range.location).filter { $0 == "\n" }.count + 1
                throw ProjectError("{% docs \(name) %} is never closed with {% enddocs %}", at: SourceLocation(file: file, line: line))
            }
            out.append((name, ns.substring(with: NSRange(location: after, length: c.range.location - after)).trimmingCharacters(in: .whitespacesAndNewlines)))
            rest = Substring(ns.substring(from: c.range.location + c.range.length))
        }
        return out
    }
}
