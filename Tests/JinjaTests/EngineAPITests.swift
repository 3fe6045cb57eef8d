import Jinja
import Testing

/// A host object with attributes, like dbt's `target`.
final class FakeTarget: JinjaObject {
    func attribute(_ name: String) -> Value? {
        switch name {
        case "name": return .string("dev")
        case "threads": return .int(4)
        default: return nil
        }
    }
    var typeName: String { "Target" }
}

/// The host-facing API the dbt context builds on: Swift callables, objects, macros across templates, `return`.
@Suite struct EngineAPITests {
    let env = Environment()

    @Test func swiftCallableReceivesPositionalAndKeywordArguments() throws {
        env.globals["ref"] = .function("ref") { args in
            let parts = args.positional.map(\.pythonString)
            let v = args.value(5, "v").map { "@v" + $0.pythonString } ?? ""
            return .string("\"" + parts.joined(separator: "\".\"") + "\"" + v)
        }
        #expect(try env.render("{{ ref('pkg', 'model') }} {{ ref('m', v=2) }}", name: "t") == "\"pkg\".\"model\" \"m\"@v2")
    }

    @Test func objectAttributesAndMissingAttributes() throws {
        let out = try env.render("{{ target.name }}:{{ target.threads + 1 }}:[{{ target.nope }}]", name: "t",
                                 context: ["target": .object(FakeTarget())])
        #expect(out == "dev:5:[]")
        #expect(throws: JinjaError.self) { try env.render("{{ target.nope.deeper }}", name: "t", context: ["target": .object(FakeTarget())]) }
    }

    @Test func returnSignalEndsTheMacroWithAValue() throws {
        env.globals["return"] = .function("return") { args in throw ReturnSignal(args.positional.first ?? .none) }
        let src = """
        {% macro pick(x) %}ignored text{% if x %}{{ return([1, x]) }}{% endif %}{{ return('none') }}{% endmacro %}
        {%- set r = pick(2) %}{{ r[1] + 1 }} {{ r is string }} {{ pick(0) }}
        """
        #expect(try env.render(src, name: "t") == "3 False none")
    }

    @Test func returnOutsideAMacroIsAnError() throws {
        env.globals["return"] = .function("return") { args in throw ReturnSignal(args.positional.first ?? .none) }
        #expect(throws: JinjaError.self) { try env.render("{{ return(1) }}", name: "model.sql") }
    }

    @Test func macrosOfOneTemplateAreCallableFromAnother() throws {
        let lib = try env.parse("""
        {% macro cents_to_dollars(col, precision=2) %}round({{ col }} / 100, {{ precision }}){% endmacro %}
        {% macro money(col) %}{{ cents_to_dollars(col) }}::numeric{% endmacro %}
        """, name: "macros/money.sql")
        #expect(lib.macroNames == ["cents_to_dollars", "money"])
        for (k, v) in env.macros(of: lib) { env.globals[k] = v }
        // A package namespace: a dict of macros.
        env.globals["pkg"] = .dictionary(env.macros(of: lib).sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        #expect(try env.render("{{ money('amount') }} {{ pkg.cents_to_dollars('x', precision=4) }}", name: "m.sql")
                == "round(amount / 100, 2)::numeric round(x / 100, 4)")
    }

    @Test func macrosResolveGlobalsAddedLater() throws {
        let a = try env.parse("{% macro a() %}A{{ b() }}{% endmacro %}", name: "a.sql")
        for (k, v) in env.macros(of: a) { env.globals[k] = v }
        let b = try env.parse("{% macro b() %}B{% endmacro %}", name: "b.sql")
        for (k, v) in env.macros(of: b) { env.globals[k] = v }
        #expect(try env.render("{{ a() }}", name: "t") == "AB")
    }

    @Test func swiftCallableGetsTheCallBlockAsCaller() throws {
        env.globals["wrap"] = .function("wrap") { args in
            guard case .callable(let body)? = args.caller else { throw JinjaError.runtime("no caller") }
            return .string("(" + (try body.call(Arguments())).pythonString + ")")
        }
        #expect(try env.render("{% call wrap() %}inside {{ 1 + 1 }}{% endcall %}", name: "t") == "(inside 2)")
    }

    @Test func macroTagsDefinePrefixedMacros() throws {
        env.macroTags = ["test": "test_"]
        let t = try env.parse("{% test not_null(model, column_name) %}select {{ column_name }} from {{ model }}{% endtest %}", name: "tests.sql")
        #expect(t.macroNames == ["test_not_null"])
        for (k, v) in env.macros(of: t) { env.globals[k] = v }
        #expect(try env.render("{{ test_not_null('m', column_name='id') }}", name: "t") == "select id from m")
    }

    @Test func listsAndDictsFromTheHostAreSharedByReference() throws {
        let list = ListBox([.int(1)])
        _ = try env.render("{% do l.append(2) %}", name: "t", context: ["l": .list(list)])
        #expect(list.items.count == 2)
    }

    @Test func errorsThrownBySwiftCallablesGetTheCallsLocation() throws {
        env.globals["boom"] = .function("boom") { _ in throw JinjaError.runtime("kaboom") }
        do {
            _ = try env.render("line1\n  {{ boom() }}", name: "models/x.sql")
            Issue.record("expected an error")
        } catch let e as JinjaError {
            #expect(e.description == "models/x.sql:2:6: kaboom")
        }
    }

    @Test func errorsInMacrosNameTheMacrosTemplate() throws {
        let lib = try env.parse("{% macro bad() %}\n{{ 1 + 'a' }}{% endmacro %}", name: "macros/bad.sql")
        for (k, v) in env.macros(of: lib) { env.globals[k] = v }
        do {
            _ = try env.render("{{ bad() }}", name: "models/m.sql")
            Issue.record("expected an error")
        } catch let e as JinjaError {
            #expect(e.template == "macros/bad.sql")
            #expect(e.line == 2)
            #expect(e.message.contains("unsupported operand"))
        }
    }

    @Test func syntaxErrorsNameLineAndColumn() throws {
        do {
            _ = try env.parse("ok\nok {% frobnicate %}", name: "models/y.sql")
            Issue.record("expected an error")
        } catch let e as JinjaError {
            #expect(e.kind == .syntax)
            #expect(e.description == "models/y.sql:2:7: unsupported tag 'frobnicate'")
        }
    }

    @Test func unknownFilterNamesTheFilterAndPosition() throws {
        do {
            _ = try env.render("{{ x | nosuch }}", name: "t.sql")
            Issue.record("expected an error")
        } catch let e as JinjaError {
            #expect(e.description == "t.sql:1:6: No filter named 'nosuch'.")
        }
    }

    @Test func hostFiltersAndTests() throws {
        env.filters["shout"] = { v, _ in .string(v.pythonString.uppercased() + "!") }
        env.tests["short"] = { v, _ in v.pythonString.count < 3 }
        #expect(try env.render("{{ 'hi' | shout }} {{ 'hi' is short }} {{ ['a', 'abcd'] | select('short') | list }}", name: "t")
                == "HI! True ['a']")
    }

    @Test func floatsPrintLikePython() {
        let cases: [(Double, String)] = [(1.0, "1.0"), (0.1, "0.1"), (1e16, "1e+16"), (1234567890123456.0, "1234567890123456.0"),
                                         (1.5e-5, "1.5e-05"), (0.0001, "0.0001"), (-2.5, "-2.5"), (1e100, "1e+100"), (123.456, "123.456")]
        for (d, want) in cases { #expect(Value.double(d).pythonString == want) }
    }
}
