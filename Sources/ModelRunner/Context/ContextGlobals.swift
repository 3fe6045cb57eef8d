import Foundation
import Jinja

extension DbtJinja {
    /// Puts dbt's context into `env`: functions and objects every template and macro sees.
    func installContext(into env: Environment, execute: Bool) {
        let g = ContextFunctions(dbt: self, execute: execute)
        let adapter = AdapterObject(dbt: self, execute: execute)
        let log = self.log
        env.globals["execute"] = .bool(execute)
        env.globals["ref"] = .function("ref") { try g.ref($0) }
        env.globals["source"] = .function("source") { try g.source($0) }
        env.globals["config"] = .object(ConfigObject())
        env.globals["var"] = .object(VarObject { [unowned self] in self.vars(for: RenderState.current?.package) })
        env.globals["doc"] = .function("doc") { [unowned self] args in
            let name = args.positional.last?.pythonString ?? ""
            guard let text = self.docs[name] else { throw JinjaError.runtime("doc('\(name)') names no {% docs \(name) %} block in a .md file") }
            return .string(text)
        }
        env.globals["env_var"] = .function("env_var") { try ContextFunctions.envVar($0) }
        env.globals["target"] = target.object
        env.globals["this"] = .object(ThisProxy(database: target.database))
        env.globals["model"] = .object(ModelProxy(projectName: projectName, database: target.database))
        env.globals["is_incremental"] = .function("is_incremental") { _ in .bool(RenderState.current?.isIncremental ?? false) }
        env.globals["return"] = .function("return") { args in throw ReturnSignal(args.positional.first ?? .none) }
        env.globals["log"] = .function("log") { args in
            if execute { log(Secrets.redact(args.positional.first?.pythonString ?? "")) }
            return .string("")
        }
        env.globals["print"] = .function("print") { args in
            if execute { log(Secrets.redact(args.positional.map(\.pythonString).joined(separator: " "))) }
            return .string("")
        }
        env.globals["exceptions"] = .object(AttributeObject(typeName: "Exceptions", [
            ("raise_compiler_error", .function("raise_compiler_error") { args in
                throw JinjaError.runtime("Compilation Error: " + (args.positional.first?.pythonString ?? ""))
            }),
            ("raise_not_implemented", .function("raise_not_implemented") { args in
                throw JinjaError.runtime("Not implemented: " + (args.positional.first?.pythonString ?? ""))
            }),
            ("warn", .function("warn") { args in
                if execute { log("warning: " + Secrets.redact(args.positional.first?.pythonString ?? "")) }
                return .string("")
            }),
        ]))
        env.globals["flags"] = .object(AttributeObject(typeName: "Flags", [
            ("FULL_REFRESH", .bool(fullRefresh)), ("WHICH", .string(which)), ("STORE_FAILURES", .bool(false)),
            ("DEBUG", .bool(false)), ("WARN_ERROR", .bool(false)), ("USE_COLORS", .bool(false)),
        ]))
        env.globals["run_started_at"] = PythonDatetime.utcDatetime(unixMicros: LocalZone.unixMicros(runStartedAt), zone: .system)
        env.globals["invocation_id"] = .string(invocationID)
        env.globals["project_name"] = .string(projectName)
        env.globals["modules"] = .object(AttributeObject(typeName: "Modules", [("datetime", PythonDatetime.module(.system)), ("re", RegexModule.module)]))
        env.globals["adapter"] = .object(adapter)
        // dbt's load_relation(relation): the relation when it exists in the database, else none.
        env.globals["load_relation"] = .function("load_relation") { args in
            guard case .object(let o)? = args.positional.first else { return .none }
            return try adapter.relation(schema: o.attribute("schema")?.pythonString ?? "", identifier: o.attribute("identifier")?.pythonString ?? "")
        }
        env.globals["api"] = .object(AttributeObject(typeName: "API", [("Relation", .object(RelationAPI()))]))
        env.globals["run_query"] = .function("run_query") { [unowned self] args in
            guard execute else { return .none }
            let sql = args.value(0, "sql")?.pythonString ?? ""
            return try AdapterObject.query(self, sql).table
        }
        env.globals["statement"] = .function("statement") { args in try g.statement(args) }
        env.globals["load_result"] = .function("load_result") { args in
            RenderState.current?.statementResults[args.positional.first?.pythonString ?? ""] ?? .none
        }
        env.globals["fromjson"] = .function("fromjson") { args in
            guard let text = args.positional.first?.stringValue else { return args.value(1, "default") ?? .none }
            do { return try ConfigValue.parse(yamlText: text).jinja } catch { return args.value(1, "default") ?? .none }
        }
        env.globals["fromyaml"] = env.globals["fromjson"]
        env.globals["tojson"] = .function("tojson") { args in
            guard let v = args.positional.first, let c = ConfigValue(jinja: v) else { return args.value(1, "default") ?? .none }
            return .string(JSON.encode(c))
        }
        env.globals["toyaml"] = env.globals["tojson"]
        env.globals["zip"] = .function("zip") { args in
            let lists = try args.positional.map { v -> [Value] in
                switch v {
                case .list(let l): return l.items
                case .tuple(let t): return t
                default: throw JinjaError.runtime("zip() arguments must be lists")
                }
            }
            let n = lists.map(\.count).min() ?? 0
            return .array((0..<n).map { i in .tuple(lists.map { $0[i] }) })
        }
        env.globals["set"] = .function("set") { args in
            var seen: [Value] = []
            if case .list(let l)? = args.positional.first {
                for v in l.items where !seen.contains(where: { $0.pythonRepr == v.pythonRepr }) { seen.append(v) }
            }
            return .array(seen)
        }
        env.globals["local_md5"] = .function("local_md5") { args in
            .string(md5Hex(args.positional.first?.pythonString ?? ""))
        }
        for name in ["as_text", "as_bool", "as_native", "as_number"] {
            env.filters[name] = { v, _ in v }
        }
    }
}

/// `ref`, `source`, `env_var` and `statement`, reading the current render state.
struct ContextFunctions {
    unowned let dbt: DbtJinja
    let execute: Bool

    func ref(_ args: Arguments) throws -> Value {
        let names = args.positional.map(\.pythonString)
        guard (1...2).contains(names.count) else { throw JinjaError.runtime("ref() takes a model name and an optional package: ref('model') or ref('package', 'model')") }
        let name = names.last!
        let state = try RenderState.require("ref()")
        if state.mode == .parse {
            if state.failOnRef == name { throw JinjaError.runtime("ref('\(name)')") }
            state.refs.append((name, names.count == 2 ? names[0] : nil))
            return .object(RelationObject(database: dbt.target.database, schema: dbt.target.schema, identifier: name))
        }
        if let o = state.overrides.refs[name] { return .object(RelationObject(database: nil, schema: nil, identifier: name, printed: o)) }
        guard let project = dbt.project else { throw JinjaError.runtime("ref('\(name)') is not available here") }
        if let m = project.models[name] {
            if m.materialization == .ephemeral {
                if !state.ephemerals.contains(name) { state.ephemerals.append(name) }
                return .object(RelationObject(database: nil, schema: nil, identifier: TemplateCompiler.cteName(name), printed: TemplateCompiler.cteName(name)))
            }
            return .object(RelationObject(m.relation, database: dbt.target.database, kind: m.materialization == .view ? "view" : "table"))
        }
        if let s = project.seeds[name] { return .object(RelationObject(s.relation, database: dbt.target.database, kind: "table")) }
        if let s = project.snapshots[name] { return .object(RelationObject(s.relation, database: dbt.target.database, kind: "table")) }
        let hint = nearest(name, in: project.refNames).map { "; did you mean '\($0)'?" } ?? ""
        throw JinjaError.runtime("ref('\(name)') does not match any model or seed\(hint)")
    }

    func source(_ args: Arguments) throws -> Value {
        guard args.positional.count == 2 else { throw JinjaError.runtime("source() takes a source and a table name: source('source', 'table')") }
        let (s, t) = (args.positional[0].pythonString, args.positional[1].pythonString)
        let state = try RenderState.require("source()")
        if state.mode == .parse {
            state.sources.append((s, t))
            return .object(RelationObject(database: dbt.target.database, schema: s, identifier: t))
        }
        if let o = state.overrides.sources["\(s).\(t)"] { return .object(RelationObject(database: nil, schema: nil, identifier: t, printed: o)) }
        guard let src = dbt.project?.sources["\(s).\(t)"] else { throw JinjaError.runtime("source('\(s)', '\(t)') is not declared") }
        return .object(RelationObject(src.relation, database: src.database, kind: "table"))
    }

    /// `env_var(name, default)`: missing without default is an error; `DBT_ENV_SECRET_*` may not be used in
    /// models, tests or macros (as in dbt, which allows them only in profiles and packages files).
    static func envVar(_ args: Arguments) throws -> Value {
        guard let name = args.positional.first?.stringValue else { throw JinjaError.runtime("env_var() takes a variable name") }
        if name.hasPrefix(Secrets.prefix) {
            throw JinjaError.runtime("Secret env vars are allowed only in profiles.yml or packages.yml: env_var('\(name)')")
        }
        if let v = ProcessInfo.processInfo.environment[name] { return .string(v) }
        if let d = args.value(1, "default") { return .string(d.pythonString) }
        throw JinjaError.runtime("Env var required but not provided: '\(name)'")
    }

    /// `{% call statement(name, fetch_result=True) %}sql{% endcall %}`: runs the SQL when executing and keeps the
    /// result for `load_result(name)`.
    func statement(_ args: Arguments) throws -> Value {
        guard execute, let caller = args.caller, case .callable(let body) = caller else { return .string("") }
        let name = args.value(0, "name")?.pythonString ?? "statement"
        let sql = try body.call(Arguments()).pythonString
        let state = try RenderState.require("statement()")
        let result = try AdapterObject.query(dbt, sql)
        let fetch = args.value(1, "fetch_result")?.isTruthy ?? false
        state.statementResults[name] = .dictionary([
            ("response", .string(result.raw.commandTag)),
            ("data", fetch ? .array(result.raw.rows.map { .tuple(AdapterObject.row($0)) }) : .array([])),
            ("table", fetch ? result.table : .none),
        ])
        return .string("")
    }
}
