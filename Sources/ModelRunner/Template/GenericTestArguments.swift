import Foundation
import Jinja

/// How dbt renders the arguments of a generic test before the test macro gets them: a string that looks like a call
/// of `ref`, `source`, `var`, `env_var` or `doc` is evaluated as that expression; any other string holding Jinja is
/// rendered; other values pass as they are. (`column_name` is never rendered.)
enum GenericTestArguments {
    /// Whether `text` is rendered.
    static func needsRendering(_ text: String) -> Bool {
        looksLikeCall(text) || text.contains("{{") || text.contains("{%")
    }

    /// The template that renders `text`.
    static func template(_ text: String) -> String {
        looksLikeCall(text) ? "{{ " + text + " }}" : text
    }

    private static func looksLikeCall(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasSuffix(")") else { return false }
        for f in ["env_var", "ref", "var", "source", "doc"] where t.hasPrefix(f) {
            let rest = t.dropFirst(f.count).drop(while: { $0 == " " || $0 == "\t" })
            if rest.hasPrefix("("), rest.count > 2 { return true }
        }
        return false
    }

    /// The macro's keyword arguments: `model`, `column_name` when the test is on a column, then the test's own
    /// arguments, rendered in compile mode with `state`.
    static func keywords(model: Value, column: String?, arguments: ConfigValue, dbt: DbtJinja, state: RenderState,
                         file: String) throws -> [(String, Value)] {
        var out: [(String, Value)] = [("model", model)]
        if let column { out.append(("column_name", .string(column))) }
        for (k, v) in arguments.dictValue ?? [] {
            if let text = v.stringValue, case .string = v, needsRendering(text) {
                let rendered = try dbt.compileRender(try dbt.parse(template(text), file: file), state: state)
                out.append((k, .string(rendered)))
            } else {
                out.append((k, v.jinja))
            }
        }
        return out
    }
}
