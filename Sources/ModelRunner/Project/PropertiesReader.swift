import Foundation
import Yams

/// Reads properties `.yml` files: `models:`, `sources:`, `seeds:` and `unit_tests:`, with their tests.
struct PropertiesReader {
    let project: Project
    let warnings: WarningLog
    private(set) var tests: [DataTest] = []
    private(set) var unitTests: [UnitTest] = []
    var documented: [String: String] = [:]
    /// The properties file being read.
    private var currentFile = ""
    /// The package whose file is read (nil: the root project): names its sources' and tests' unique ids.
    var package: String?
    /// The project or package name unique ids carry.
    var owner: String { package ?? project.name }

    init(project: Project, warnings: WarningLog) {
        self.project = project
        self.warnings = warnings
    }

    static func pairs(_ node: Node?) -> [(String, Node)] {
        guard let m = node?.mapping else { return [] }
        return m.map { ($0.key.string ?? "", $0.value) }
    }

    static func line(_ node: Node?) -> Int { node?.mark?.line ?? 1 }

    func warnUnknown(_ node: Node, known: Set<String>, what: String, file: String) {
        for (k, v) in Self.pairs(node) where !known.contains(k) {
            warnings.warn("unknown key `\(k)` in \(what) ignored", at: SourceLocation(file: file, line: Self.line(v)))
        }
    }

    mutating func read(_ rel: String) throws {
        let text = try String(contentsOf: project.root.appendingPathComponent(rel), encoding: .utf8)
        let root: Node
        do {
            guard let n = try Yams.compose(yaml: text, .basic) else { return }
            root = n
        } catch let e as YamlError {
            throw yamlProjectError(e, file: rel)
        }
        guard root.mapping != nil else { throw ProjectError("a properties file must be a mapping", at: SourceLocation(file: rel, line: 1)) }
        let fileSum = sha256Hex(text)
        currentFile = rel
        for (key, value) in Self.pairs(root) {
            switch key {
            case "snapshots": for item in value.array() { try readSnapshot(item, file: rel, fileSum: fileSum) }
            case "version", "macros", "exposures", "metrics", "semantic_models", "saved_queries", "groups", "analyses":
                continue
            case "models": for item in value.array() { try readModel(item, file: rel, fileSum: fileSum) }
            case "sources": for item in value.array() { try readSource(item, file: rel, fileSum: fileSum) }
            case "seeds": for item in value.array() { try readSeed(item, file: rel, fileSum: fileSum) }
            case "unit_tests": for item in value.array() { try readUnitTest(item, file: rel) }
            case "data_tests", "tests": continue // properties of singular tests
            default:
                warnings.warn("unknown top-level key `\(key)` ignored", at: SourceLocation(file: rel, line: Self.line(value)))
            }
        }
    }

    func columns(_ node: Node?) -> [ColumnDoc] {
        (node?.array() ?? []).compactMap { c in
            guard let n = c[key: "name"]?.string else { return nil }
            return ColumnDoc(name: n, description: (try? text(c[key: "description"])) ?? "", dataType: c[key: "data_type"]?.string)
        }
    }

    /// A YAML string with its Jinja rendered ("" when absent); errors cite the value's line.
    func text(_ node: Node?) throws -> String {
        guard let node, let s = node.string else { return "" }
        return try project.jinja.renderYAMLString(s, at: SourceLocation(file: currentFile, line: Self.line(node)))
    }

    /// A `config:` mapping with Jinja in its values rendered.
    func config(_ node: Node) throws -> [(String, ConfigValue)] {
        let loc = SourceLocation(file: currentFile, line: Self.line(node))
        return try project.jinja.renderYAMLValue(ConfigValue(yaml: node), at: loc, skipKeys: ["pre-hook", "post-hook", "pre_hook", "post_hook"]).dictValue ?? []
    }

    static let columnKeys: Set<String> = ["name", "description", "data_type", "tests", "data_tests", "meta", "tags", "quote",
                                          "constraints", "policy_tags", "docs", "config", "granularity"]

    private mutating func readModel(_ item: Node, file: String, fileSum: String) throws {
        let loc = SourceLocation(file: file, line: Self.line(item))
        guard let name = item[key: "name"]?.string else { throw ProjectError("model entry without `name`", at: loc) }
        warnUnknown(item, known: ["name", "description", "config", "columns", "tests", "data_tests", "meta", "docs", "access",
                                  "group", "versions", "latest_version", "constraints", "deprecation_date", "time_spine"],
                    what: "model \(name)", file: file)
        guard var model = project.models[name] else {
            let hint = nearest(name, in: Array(project.models.keys)).map { " (did you mean '\($0)'?)" } ?? ""
            warnings.warn("properties for model '\(name)' but there is no models/**/\(name).sql\(hint)", at: loc)
            return
        }
        if let prev = documented["model:" + name] {
            throw ProjectError("model '\(name)' is documented twice (also in \(prev))", at: loc)
        }
        documented["model:" + name] = file
        model.description = try text(item[key: "description"])
        model.columns = columns(item[key: "columns"])
        model.patchPath = file
        if let cfg = item[key: "config"] {
            let pairs = try config(cfg)
            for (k, _) in pairs where !ProjectLoader.knownConfigKeys.contains(k) {
                warnings.warn("model \(name): unknown config key `\(k)` ignored", at: SourceLocation(file: file, line: Self.line(cfg)))
            }
            // Precedence: project folders < .yml config < {{ config() }} in the file.
            var merged = NodeConfig()
            merged.apply(model.config.values.filter { k, _ in
                !pairs.contains(where: { NodeConfig.canonicalKey($0.0) == k }) || NodeConfig.accumulates(k)
            })
            merged.apply(pairs)
            // Hooks of {{ config() }} are added once, after every other level (ProjectLoader), so they run last.
            merged.apply(model.template.config.filter { !NodeConfig.isHookKey($0.0) })
            model.config = merged
        }
        project.models[name] = model
        try readTests(owner: item, ownerName: name, target: model.uniqueId, file: file, fileSum: fileSum)
    }

    private mutating func readSeed(_ item: Node, file: String, fileSum: String) throws {
        let loc = SourceLocation(file: file, line: Self.line(item))
        guard let name = item[key: "name"]?.string else { throw ProjectError("seed entry without `name`", at: loc) }
        warnUnknown(item, known: ["name", "description", "config", "columns", "tests", "data_tests", "meta", "docs"], what: "seed \(name)", file: file)
        guard var seed = project.seeds[name] else {
            warnings.warn("properties for seed '\(name)' but there is no seeds/**/\(name).csv", at: loc)
            return
        }
        seed.description = try text(item[key: "description"])
        seed.columns = columns(item[key: "columns"])
        seed.patchPath = file
        if let cfg = item[key: "config"] { seed.config.apply(try config(cfg)) }
        project.seeds[name] = seed
        try readTests(owner: item, ownerName: name, target: seed.uniqueId, file: file, fileSum: fileSum)
    }

    private mutating func readSource(_ item: Node, file: String, fileSum: String) throws {
        let loc = SourceLocation(file: file, line: Self.line(item))
        guard let sname = item[key: "name"]?.string else { throw ProjectError("source entry without `name`", at: loc) }
        warnUnknown(item, known: ["name", "description", "schema", "database", "tables", "loader", "loaded_at_field", "loaded_at_query", "freshness",
                                  "meta", "tags", "config", "quoting", "overrides"], what: "source \(sname)", file: file)
        let renderedSchema = try text(item[key: "schema"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let schema = renderedSchema.isEmpty ? sname : renderedSchema
        // `database:` is rendered like `schema:`; PostgreSQL relations live in the target's database (dbt-postgres).
        let target = project.jinja.target.database
        let renderedDatabase = try text(item[key: "database"]).trimmingCharacters(in: .whitespacesAndNewlines)
        if let node = item[key: "database"], !renderedDatabase.isEmpty {
            try CrossDatabase.check(renderedDatabase, target: target, what: "source \(sname)",
                                    at: SourceLocation(file: file, line: Self.line(node), column: node.mark?.column))
        }
        let database = renderedDatabase.isEmpty ? target : renderedDatabase
        let sourceFreshness = Self.sourceSetting(item, "freshness")
        let sourceLoadedAt = Self.loadedAtLevel(item)
        for t in item[key: "tables"]?.array() ?? [] {
            let tloc = SourceLocation(file: file, line: Self.line(t))
            guard let tname = t[key: "name"]?.string else { throw ProjectError("source table without `name`", at: tloc) }
            warnUnknown(t, known: ["name", "description", "identifier", "columns", "tests", "data_tests", "meta", "tags",
                                   "loaded_at_field", "loaded_at_query", "freshness", "quoting", "external", "config"], what: "source table \(sname).\(tname)", file: file)
            let uid = "source.\(owner).\(sname).\(tname)"
            if project.sources["\(sname).\(tname)"] != nil {
                throw ProjectError("source \(sname).\(tname) is declared twice", at: tloc)
            }
            // Freshness: the table's block over the source's, key by key (`freshness: null` on the table turns it off).
            var freshness = sourceFreshness
            if let own = Self.sourceSetting(t, "freshness") {
                freshness = own == .null ? nil : (freshness ?? .dict([])).merged(with: own)
            }
            let criteria = try FreshnessCriteria.parse(freshness, what: "source table \(sname).\(tname)", at: tloc)
            let loadedAt = try LoadedAt.resolve(source: sourceLoadedAt, table: Self.loadedAtLevel(t), what: "source table \(sname).\(tname)",
                                                sourceAt: loc, tableAt: tloc)
            project.sources["\(sname).\(tname)"] = SourceTable(
                sourceName: sname, package: package, name: tname, uniqueId: uid, database: database,
                relation: Relation(schema: schema, name: t[key: "identifier"]?.string ?? tname),
                description: try text(t[key: "description"]), columns: columns(t[key: "columns"]), path: file, line: tloc.line,
                loadedAt: loadedAt, freshness: criteria)
            try readTests(owner: t, ownerName: "\(sname)_\(tname)", target: uid, file: file, fileSum: fileSum)
        }
    }

    /// A source or source-table setting given directly (`freshness:`) or under `config:` (dbt ≥ 1.10); nil when absent,
    /// `.null` when set to null.
    private static func sourceSetting(_ node: Node, _ key: String) -> ConfigValue? {
        if let v = node[key: key] { return ConfigValue(yaml: v) }
        if let v = node[key: "config"]?[key: key] { return ConfigValue(yaml: v) }
        return nil
    }

    /// A source's or table's `loaded_at_field` / `loaded_at_query`, as written (not rendered: dbt renders a
    /// `loaded_at_query` only when the check runs).
    private static func loadedAtLevel(_ node: Node) -> LoadedAt.Level {
        let field = sourceSetting(node, "loaded_at_field")
        let queryNode = node[key: "loaded_at_query"] ?? node[key: "config"]?[key: "loaded_at_query"]
        return LoadedAt.Level(field: field?.stringValue, fieldPresent: field != nil, query: sourceSetting(node, "loaded_at_query")?.stringValue,
                              queryLine: line(queryNode))
    }

    // MARK: generic tests

    mutating func readTests(owner: Node, ownerName: String, target: String, file: String, fileSum: String) throws {
        for key in ["data_tests", "tests"] {
            for t in owner[key: key]?.array() ?? [] {
                try readTest(t, column: nil, ownerName: ownerName, target: target, file: file, fileSum: fileSum)
            }
        }
        for col in owner[key: "columns"]?.array() ?? [] {
            guard let cname = col[key: "name"]?.string else { continue }
            for (k, v) in Self.pairs(col) where !Self.columnKeys.contains(k) {
                warnings.warn("unknown key `\(k)` in column \(cname) ignored", at: SourceLocation(file: file, line: Self.line(v)))
            }
            for key in ["data_tests", "tests"] {
                for t in col[key: key]?.array() ?? [] {
                    try readTest(t, column: cname, ownerName: ownerName, target: target, file: file, fileSum: fileSum)
                }
            }
        }
    }

    static let testConfigKeys: Set<String> = ["severity", "where", "warn_if", "error_if", "limit", "store_failures", "tags",
                                              "enabled", "meta", "fail_calc", "store_failures_as", "alias", "schema", "database"]

    private mutating func readTest(_ node: Node, column: String?, ownerName: String, target: String, file: String, fileSum: String) throws {
        let loc = SourceLocation(file: file, line: Self.line(node))
        let testName: String
        var body = ConfigValue.dict([])
        if let s = node.string {
            testName = s
        } else if let first = Self.pairs(node).first, Self.pairs(node).count == 1 {
            testName = first.0
            body = ConfigValue(yaml: first.1)
        } else {
            throw ProjectError("a test must be a name (`- unique`) or a one-key mapping (`- accepted_values: {values: [...]}`)", at: loc)
        }
        let nameParts = testName.split(separator: ".", maxSplits: 1).map(String.init)
        let namespace = nameParts.count == 2 ? nameParts[0] : nil
        let bareName = nameParts.last ?? testName
        // A built-in test (`unique`, …) the project (or the file's package) defines again as `{% test name(...) %}` runs
        // that macro, as dbt resolves a test name to the project's macro before its own; `dbt.name` stays the built-in.
        let overridden = namespace == nil
            && project.jinja.compileMacros.macro("test_" + bareName, in: package ?? project.name) != nil
        let kind = (namespace == nil && !overridden) || namespace == "dbt" ? GenericTestKind(rawValue: bareName) : nil
        // Arguments either at the top level (dbt < 1.10) or under `arguments:` (dbt ≥ 1.10); config under `config:` or inline.
        var args: [(String, ConfigValue)] = []
        var cfg = NodeConfig()
        for (k, v) in body.dictValue ?? [] {
            switch k {
            case "arguments": args += v.dictValue ?? []
            case "config": cfg.apply(v.dictValue ?? [])
            case "name", "test_name", "description": continue
            default:
                if Self.testConfigKeys.contains(k) { cfg.apply([(k, v)]) } else { args.append((k, v)) }
            }
        }
        var arguments = ConfigValue.dict(args)
        let col = column ?? arguments[key: "column_name"]?.stringValue
        let isSource = target.hasPrefix("source.")
        let targetParts = target.split(separator: ".").map(String.init)
        let modelArgument = isSource
            ? "{{ get_where_subquery(source('\(targetParts.count > 2 ? targetParts[2] : "")', '\(targetParts.last ?? "")')) }}"
            : "{{ get_where_subquery(ref('\(ownerName)')) }}"
        var namingArgs = args.filter { $0.0 != "column_name" }
        if let col { namingArgs.append(("column_name", .string(col))) }
        let naming = GenericTestNaming(namespace: namespace, test: bareName, isSource: isSource, target: ownerName,
                                       arguments: namingArgs, modelArgument: modelArgument)
        let explicitName = body[key: "name"]?.stringValue
        let name = explicitName ?? naming.fullName
        let testBody: DataTest.Body
        if let kind {
            guard let col else {
                throw ProjectError("test `\(testName)` on \(ownerName) needs a column (put it under `columns:` or give `column_name`)", at: loc)
            }
            var related: RelationReference?
            switch kind {
            case .acceptedValues:
                guard arguments[key: "values"]?.listValue != nil else { throw ProjectError("accepted_values needs `values: [...]`", at: loc) }
            case .relationships:
                guard let to = arguments[key: "to"]?.stringValue, arguments[key: "field"]?.stringValue != nil else {
                    throw ProjectError("relationships needs `to: ref('model')` and `field: column`", at: loc)
                }
                related = try resolveTestTarget(to, at: loc)
            default: break
            }
            testBody = .generic(kind: kind, column: col, arguments: arguments, target: target, relatedTarget: related)
        } else {
            // An unqualified name in a package's file may be one of the package's own test macros (dbt looks there first).
            let own = namespace == nil && package.map { project.jinja.compileMacros.macro("test_" + bareName, in: $0) != nil } == true
            guard own || project.jinja.compileMacros.macro("test_" + bareName, in: namespace) != nil else {
                let scope = namespace.map { "package `\($0)`" } ?? "the project's macros or dbt's built-ins"
                throw ProjectError("generic test `\(testName)` is not defined: no `{% test \(bareName)(...) %}` macro in \(scope)", at: loc)
            }
            // Relations the arguments name (`compare_model: ref('x')`) are dependencies, as in dbt.
            var refs: [String] = []
            var sources: [RelationReference] = []
            for (_, v) in args {
                guard let text = v.stringValue, GenericTestArguments.needsRendering(text) else { continue }
                let state = RenderState(mode: .parse, file: loc.file)
                do {
                    try project.jinja.parseRender(try project.jinja.parse(GenericTestArguments.template(text), file: loc.file), state: state)
                } catch let e as ProjectError {
                    throw ProjectError("test `\(testName)` argument `\(text)`: \(e.message)", at: loc)
                }
                refs += state.refs.map(\.name)
                sources += state.sources.map { .source($0.source, $0.table) }
            }
            arguments = .dict(args.filter { $0.0 != "column_name" })
            testBody = .macro(namespace: namespace, name: bareName, column: col, arguments: arguments, target: target,
                              refs: refs, sources: sources)
        }
        var test = DataTest(name: name, uniqueId: explicitName.map { "test.\(owner).\($0).\(String(sha256Hex(target + $0).prefix(10)))" } ?? naming.uniqueId(owner),
                            body: testBody, location: loc, attachedTo: target, fileChecksum: fileSum)
        test.config = cfg
        if explicitName == nil, naming.shortName != naming.fullName, cfg.alias == nil {
            test.config.apply([("alias", .string(naming.shortName))])
        }
        tests.append(test)
    }

    /// Reads the `ref('x')` / `source('a','b')` text of a `relationships` test (the graph resolves it).
    private func resolveTestTarget(_ text: String, at loc: SourceLocation) throws -> RelationReference {
        guard let r = try relationReference(text, at: loc) else {
            throw ProjectError("relationships `to:` must be ref('model') or source('source', 'table'), not `\(text)`", at: loc)
        }
        return r
    }

    /// The one `ref(...)` or `source(...)` a YAML value such as `ref('x')` names (rendered in parse mode), or nil.
    private func relationReference(_ text: String, at loc: SourceLocation) throws -> RelationReference? {
        let state = RenderState(mode: .parse, file: loc.file)
        do {
            try project.jinja.parseRender(try project.jinja.parse("{{ " + text + " }}", file: loc.file), state: state)
        } catch let e as ProjectError {
            throw ProjectError("`\(text)`: \(e.message)", at: loc)
        }
        if state.refs.count == 1, state.sources.isEmpty { return .ref(state.refs[0].name) }
        if state.sources.count == 1, state.refs.isEmpty { return .source(state.sources[0].source, state.sources[0].table) }
        return nil
    }

    // MARK: unit tests

    private func rows(_ node: Node?, at loc: SourceLocation) throws -> [[(String, ConfigValue)]] {
        guard let node else { return [] }
        if let s = node.string, node.scalar != nil {
            // `rows: |` in csv/sql formats is not supported.
            throw ProjectError("unit test rows must be a list of mappings (format: dict); got `\(s.prefix(30))`", at: loc)
        }
        return try node.array().map { r in
            guard case .dict(let pairs) = ConfigValue(yaml: r) else {
                throw ProjectError("unit test row must be a mapping of column: value", at: SourceLocation(file: loc.file, line: Self.line(r)))
            }
            return pairs
        }
    }

    private mutating func readUnitTest(_ item: Node, file: String) throws {
        let loc = SourceLocation(file: file, line: Self.line(item))
        guard let name = item[key: "name"]?.string, let model = item[key: "model"]?.string else {
            throw ProjectError("unit test needs `name` and `model`", at: loc)
        }
        warnUnknown(item, known: ["name", "model", "description", "given", "expect", "overrides", "config", "versions"], what: "unit test \(name)", file: file)
        var given: [UnitTestInput] = []
        for g in item[key: "given"]?.array() ?? [] {
            let gloc = SourceLocation(file: file, line: Self.line(g))
            if let f = g[key: "format"]?.string, f != "dict" {
                throw ProjectError("unit test input format '\(f)' is not supported; use format: dict (the default)", at: gloc)
            }
            guard let input = g[key: "input"]?.string else { throw ProjectError("unit test input needs `input: ref('model')`", at: gloc) }
            let target: UnitTestInput.Target
            if input.trimmingCharacters(in: .whitespaces) == "this" {
                target = .this
            } else {
                switch try relationReference(input, at: gloc) {
                case .ref(let r)?: target = .ref(r)
                case .source(let a, let b)?: target = .source(a, b)
                case nil: throw ProjectError("unit test input must be ref('model'), source('s', 't') or this, not `\(input)`", at: gloc)
                }
            }
            given.append(UnitTestInput(target: target, rows: try rows(g[key: "rows"], at: gloc)))
        }
        let eloc = SourceLocation(file: file, line: Self.line(item[key: "expect"]))
        if let f = item[key: "expect"]?[key: "format"]?.string, f != "dict" {
            throw ProjectError("unit test expect format '\(f)' is not supported; use format: dict (the default)", at: eloc)
        }
        let expect = try rows(item[key: "expect"]?[key: "rows"], at: eloc)
        let overrides = item[key: "overrides"].map { ConfigValue(yaml: $0) } ?? .dict([])
        var test = UnitTest(name: name, uniqueId: "unit_test.\(owner).\(model).\(name)", model: model, given: given,
                            expect: expect, overrideVars: overrides[key: "vars"] ?? .dict([]),
                            overrideIncremental: overrides[key: "macros"]?["is_incremental"]?.boolValue,
                            location: loc, description: item[key: "description"]?.string ?? "",
                            checksum: sha256Hex(try Yams.serialize(node: item)))
        if let cfg = item[key: "config"] { test.config.apply(ConfigValue(yaml: cfg).dictValue ?? []) }
        unitTests.append(test)
    }
}

extension Node {
    /// The value for a string key of a mapping, compared as plain text (Yams' own subscript resolves tags, slowly).
    subscript(key key: String) -> Node? {
        guard let m = mapping else { return nil }
        for (k, v) in m where k.scalar?.string == key { return v }
        return nil
    }
}
