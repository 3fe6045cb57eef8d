import FitLoader
import Foundation
import Testing
import TestSupport
@testable import ModelRunner

/// Property tests of the template parser and compiler (issue 10, item 10): random and mutated templates from the
/// real models in dbt_style_models never crash or hang, and every failure is a ``ProjectError`` with a location
/// inside the file.
///
/// The suite runs a short deterministic campaign; `FITDATA_FUZZ_TEMPLATE_ITERATIONS=N` (and `FITDATA_FUZZ_SEED`)
/// make it longer (`make fuzz-template`). Findings are recorded with the input that produced them.
@Suite struct TemplateFuzzTests {
    /// The project's deterministic generator (SplitMix64).
    typealias Rng = SeededRandom

    /// Pieces of the template syntax (and of near misses) that mutations insert.
    static let dictionary: [String] = [
        "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", "{%-", "-%}", "{{ ref('fct_sets') }}", "{{ ref('nope') }}",
        "{{ source('core', 'sets') }}", "{{ source('core') }}", "{{ config(materialized='table') }}",
        "{{ config(materialized='incremental', unique_key=['a', 'b'], x={'k': [1, 2.5, -3, 1e9, None, true]}) }}",
        "{{ var('e1rm_formula') }}", "{{ var('missing') }}", "{{ var('missing', 3) }}", "{{ this }}", "{{ this.schema }}",
        "{{ this.nope }}", "{% if is_incremental() %}", "{% if not is_incremental() %}", "{% else %}", "{% endif %}",
        "{% for x in y %}", "{{ is_incremental() }}", "ref(", "source(", "config(", "var(", "(", ")", "[", "]", "{", "}",
        "'", "\"", "\\", ",", "=", ":", ".", "-", "1.2.3", "9999999999999999999999", "None", "é", "👍", "\u{0}", "\t",
        "\r\n", "\n", " ", "--", "/*", "*/", "with ", "with recursive ", ";",
    ]

    struct Corpus {
        let project: Project
        /// Model name → its raw template text.
        let models: [(name: String, text: String)]
    }

    static func loadCorpus() throws -> Corpus {
        let dir = TestPaths.repoRoot.appendingPathComponent("dbt_style_models")
        let project = try ProjectLoader(projectDir: dir, vars: .dict([]), targetSchema: "public", warnings: WarningLog()).load()
        let models = project.models.values.sorted { $0.name < $1.name }.map { ($0.name, $0.rawSQL) }
        return Corpus(project: project, models: models)
    }

    /// One mutated or generated template.
    static func candidate(_ rng: inout Rng, _ corpus: Corpus) -> (model: String, text: String) {
        let base = rng.pick(corpus.models)
        if rng.below(8) == 0 { return (base.name, generated(&rng)) }
        var bytes = Array(base.text.utf8)
        for _ in 0..<(1 + rng.below(6)) { mutate(&bytes, &rng, corpus) }
        if bytes.count > 65_536 { bytes.removeLast(bytes.count - 65_536) }
        return (base.name, String(decoding: bytes, as: UTF8.self))
    }

    static func mutate(_ b: inout [UInt8], _ rng: inout Rng, _ corpus: Corpus) {
        let at = rng.below(b.count + 1)
        switch rng.below(7) {
        case 0 where !b.isEmpty:   // delete a range
            let n = min(b.count - min(at, b.count - 1), 1 + rng.below(16))
            b.removeSubrange(min(at, b.count - 1)..<(min(at, b.count - 1) + n))
        case 1:                    // insert a dictionary token
            b.insert(contentsOf: Array(rng.pick(dictionary).utf8), at: at)
        case 2 where !b.isEmpty:   // duplicate a range
            let from = rng.below(b.count), n = min(b.count - from, 1 + rng.below(64))
            b.insert(contentsOf: Array(b[from..<(from + n)]), at: at)
        case 3 where !b.isEmpty:   // replace one byte
            b[min(at, b.count - 1)] = UInt8(truncatingIfNeeded: rng.next())
        case 4:                    // splice a piece of another model
            let other = Array(rng.pick(corpus.models).text.utf8)
            if !other.isEmpty {
                let from = rng.below(other.count), n = min(other.count - from, 1 + rng.below(200))
                b.insert(contentsOf: other[from..<(from + n)], at: at)
            }
        case 5:                    // truncate
            b.removeSubrange(at..<b.count)
        default:                   // replace a tag's closing characters
            if let i = b.indices.dropFirst(at).first(where: { b[$0] == UInt8(ascii: "}") }) {
                b[i] = rng.pick(Array("%#)] -".utf8))
            }
        }
    }

    /// A template built from random pieces of the syntax.
    static func generated(_ rng: inout Rng) -> String {
        var s = ""
        for _ in 0..<(1 + rng.below(24)) {
            switch rng.below(4) {
            case 0: s += "select \(rng.below(100)) as c\n"
            case 1: s += rng.pick(dictionary)
            case 2: s += "{{ " + rng.pick(["ref", "source", "config", "var", "this", "x"]) + "(" + (0..<rng.below(4)).map { _ in
                    rng.pick(["'fct_sets'", "'core'", "'sets'", "1", "k=2", "[1,", "]", "{'a': 1}", "var('n', 1)", "None", ""]) }
                    .joined(separator: rng.pick([", ", ",", " "])) + ")" + rng.pick([" }}", "}}", " -}}", "", " %}"])
            default: s += rng.pick(["{% if is_incremental() %}", "{% else %}", "{% endif %}", "{# c #}", "\n", " where 1 = 1 "])
            }
        }
        return s
    }

    /// What went wrong with one input (nil when it parsed and compiled, or failed cleanly).
    static func check(_ text: String, model: String, corpus: Corpus) -> String? {
        let file = "models/\(model).sql"
        let lines = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        func bad(_ e: Error) -> String? {
            guard let p = e as? ProjectError else { return "not a ProjectError: \(type(of: e)): \(e)" }
            guard let loc = p.location else { return "no location: \(p)" }
            if loc.file != file || loc.line < 1 || loc.line > lines || (loc.column ?? 1) < 1 {
                return "location \(loc) outside the \(lines)-line \(file): \(p)"
            }
            return nil
        }
        let parsed: ParsedTemplate
        do { parsed = try ParsedTemplate.parse(text, file: file, dbt: corpus.project.jinja) } catch { return bad(error) }
        guard var m = corpus.project.models[model] else { return "no model \(model)" }
        m.template = parsed
        let compiler = TemplateCompiler(project: corpus.project)
        for incremental in [false, true] {
            do { _ = try compiler.compile(model: m, isIncremental: incremental) } catch { if let f = bad(error) { return f } }
        }
        return nil
    }

    /// A Swift string literal of `text`, for reproducing a finding.
    static func literal(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { c -> String in
            switch c {
            case "\\": return "\\\\"
            case "\"": return "\\\""
            case "\n": return "\\n"
            default: return c.value < 0x20 || c.value == 0x7F ? "\\u{\(String(c.value, radix: 16))}" : String(c)
            }
        }.joined() + "\""
    }

    @Test func mutatedAndGeneratedTemplatesFailCleanly() throws {
        let env = ProcessInfo.processInfo.environment
        let iterations = env["FITDATA_FUZZ_TEMPLATE_ITERATIONS"].flatMap(Int.init) ?? 3_000
        let seed = env["FITDATA_FUZZ_SEED"].flatMap(UInt64.init) ?? 1
        let corpus = try Self.loadCorpus()
        #expect(corpus.models.count >= 20)
        var rng = Rng(state: seed)
        var clean = 0, failed = 0, findings = 0
        for _ in 0..<iterations {
            let (model, text) = Self.candidate(&rng, corpus)
            if let finding = Self.check(text, model: model, corpus: corpus) {
                findings += 1
                if findings <= 10 { Issue.record("\(finding)\ninput (\(model)): \(Self.literal(text))") }
            } else if (try? ParsedTemplate.parse(text, file: "models/\(model).sql", dbt: corpus.project.jinja)) != nil {
                clean += 1
            } else {
                failed += 1
            }
        }
        print("template fuzz: seed \(seed), \(iterations) executions, \(clean) parsed, \(failed) clean errors, \(findings) findings")
        #expect(findings == 0)
        // The campaign exercises both outcomes (a mutator that never breaks, or never keeps, a template proves little).
        #expect(clean > iterations / 20 && failed > iterations / 20)
    }

    /// Inputs shaped to exhaust the stack or run long: deep nesting, and one long line of many tags.
    static func pathological(_ name: String) -> String {
        let n = 20_000
        switch name {
        case "nested ifs": return String(repeating: "{% if is_incremental() %}", count: n) + "x" + String(repeating: "{% endif %}", count: n)
        case "unclosed nested ifs": return String(repeating: "{% if is_incremental() %}", count: n)
        case "nested lists": return "{{ config(x=" + String(repeating: "[", count: n) + String(repeating: "]", count: n) + ") }}"
        case "nested dicts": return "{{ config(x=" + String(repeating: "{'a': ", count: n) + "1" + String(repeating: "}", count: n) + ") }}"
        case "nested var defaults": return "{{ config(x=" + String(repeating: "var('m', ", count: n) + "1" + String(repeating: ")", count: n) + ") }}"
        case "long line of tags": return "select " + String(repeating: "{{ ref('fct_sets') }}, ", count: n) + "1"
        case "braces": return String(repeating: "{", count: 5 * n)
        default: return String(repeating: "{{ '", count: n)
        }
    }

    @Test(arguments: ["nested ifs", "unclosed nested ifs", "nested lists", "nested dicts", "nested var defaults",
                      "long line of tags", "braces", "unclosed strings"])
    func pathologicalTemplatesFailCleanly(_ name: String) throws {
        let corpus = try Self.loadCorpus()
        if let finding = Self.check(Self.pathological(name), model: "fct_sets", corpus: corpus) {
            Issue.record("\(name): \(finding.prefix(300))")
        }
    }
}
