import Foundation
import Synchronization

/// Writes `target/compiled/**`, `target/manifest.json` and `target/run_results.json` in dbt's shapes.
struct Artifacts {
    let project: Project
    let graph: DependencyGraph
    let target: URL
    let invocationId = UUID().uuidString.lowercased()
    private let testsById: [String: DataTest]
    private let sourcesById: [String: SourceTable]
    private let unitsById: [String: UnitTest]

    init(project: Project, graph: DependencyGraph, target: URL) {
        self.project = project
        self.graph = graph
        self.target = target
        testsById = Dictionary(project.dataTests.map { ($0.uniqueId, $0) }, uniquingKeysWith: { a, _ in a })
        sourcesById = Dictionary(project.sources.values.map { ($0.uniqueId, $0) }, uniquingKeysWith: { a, _ in a })
        unitsById = Dictionary(project.unitTests.map { ($0.uniqueId, $0) }, uniquingKeysWith: { a, _ in a })
        compiledRootPath = target.appendingPathComponent("compiled").appendingPathComponent(project.name).path
    }

    static let version = "fitdata-runner-1.0"

    /// Where compiled SQL goes, as a path computed once (one compiled file per node).
    private let compiledRootPath: String
    var compiledRoot: URL { URL(fileURLWithPath: compiledRootPath, isDirectory: true) }

    /// Where a generic test's compiled SQL goes: next to its .yml, like dbt (`models/schema.yml/<test>.sql`).
    static func testPath(_ t: DataTest) -> String {
        if case .singular = t.body { return t.location.file }
        return t.location.file + "/" + (t.config.alias ?? t.name) + ".sql"
    }

    static func unitTestPath(_ u: UnitTest) -> String { u.location.file + "/" + u.model + "_" + u.name + ".sql" }

    /// Writes compiled SQL; returns its path relative to the target folder's parent convention (`target/compiled/...`).
    /// A package's file goes under the package's name, as dbt writes it (`compiled/<package>/models/x.sql`).
    func writeCompiled(path: String, sql: String) throws -> String {
        let (package, local) = project.packagePath(path)
        if let package {
            return try writeCompiled(path: local, sql: sql, under: (compiledRootPath as NSString).deletingLastPathComponent + "/" + package, shown: package)
        }
        return try writeCompiled(path: path, sql: sql, under: compiledRootPath, shown: project.name)
    }

    private func writeCompiled(path: String, sql: String, under root: String, shown: String) throws -> String {
        let file = root + "/" + path
        let data = Data((sql + "\n").utf8)
        // Unchanged files are left alone: no rewrite, no disk churn, stable mtimes.
        if FileManager.default.contents(atPath: file) != data {
            let dir = (file as NSString).deletingLastPathComponent
            if !FileManager.default.fileExists(atPath: dir) {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
            try Self.writeFile(file, data)
        }
        return "target/compiled/\(shown)/\(path)"
    }

    /// Plain open/write/close: Foundation's writers go through a temporary file and fsync, which costs
    /// milliseconds per file on some filesystems (thousands of compiled files per run).
    static func writeFile(_ path: String, _ data: Data) throws {
        guard let f = fopen(path, "wb") else { throw ProjectError("cannot write \(path): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { buf in buf.isEmpty ? 0 : fwrite(buf.baseAddress!, 1, buf.count, f) }
        let closed = fclose(f)
        guard written == data.count, closed == 0 else { throw ProjectError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// A UTC timestamp with milliseconds (`2026-11-25T15:50:12.345Z`), as `ISO8601DateFormatter` writes it with
    /// `.withInternetDateTime, .withFractionalSeconds`.
    ///
    /// Formatted by hand: run_results.json has four timestamps per node, and creating a formatter for each
    /// cost more than the rest of the file.
    static func iso(_ d: Date) -> String {
        // Whole microseconds first, so that binary fractions like …345 / 1000 do not fall to …344.
        let ms = Int64(((d.timeIntervalSince1970 * 1_000_000).rounded() / 1000).rounded(.down))
        let fraction = ((ms % 1000) + 1000) % 1000
        var seconds = time_t((ms - fraction) / 1000)
        var t = tm()
        gmtime_r(&seconds, &t)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return pad(Int(t.tm_year) + 1900, 4) + "-" + pad(Int(t.tm_mon) + 1, 2) + "-" + pad(Int(t.tm_mday), 2) + "T"
            + pad(Int(t.tm_hour), 2) + ":" + pad(Int(t.tm_min), 2) + ":" + pad(Int(t.tm_sec), 2) + "." + pad(Int(fraction), 3) + "Z"
    }

    private func metadata(_ schema: String) -> ConfigValue {
        .dict([
            ("dbt_schema_version", .string("https://schemas.getdbt.com/dbt/\(schema).json")),
            ("dbt_version", .string(Self.version)),
            ("generated_at", .string(Self.iso(Date()))),
            ("invocation_id", .string(invocationId)),
            ("env", .dict([])),
            ("project_name", .string(project.name)),
            ("adapter_type", .string("postgres")),
        ])
    }

    private static func strings(_ a: [String]) -> ConfigValue { .list(a.map { .string($0) }) }

    private static func columns(_ cols: [ColumnDoc]) -> ConfigValue {
        .dict(cols.map { c in
            (c.name, .dict([("name", .string(c.name)), ("description", .string(c.description)),
                            ("data_type", c.dataType.map { .string($0) } ?? .null), ("meta", .dict([])), ("tags", .list([]))]))
        })
    }

    /// The config checksum `state:modified` compares (besides the file checksum).
    static func configChecksum(_ config: NodeConfig, relation: Relation?) -> String {
        sha256Hex(JSON.encode(.dict(config.values)) + "|" + (relation?.description ?? ""))
    }

    private func node(_ id: String, compiledPaths: [String: String]) -> ConfigValue? {
        guard let n = graph.nodes[id] else { return nil }
        var pairs: [(String, ConfigValue)] = [
            ("unique_id", .string(id)), ("resource_type", .string(n.kind.rawValue)), ("name", .string(n.name)),
            ("package_name", .string(packageName(of: id) ?? project.name)), ("fqn", Self.strings(n.fqn)), ("original_file_path", .string(project.localPath(n.path))),
        ]
        var config = NodeConfig()
        var relation: Relation?
        var checksum = ""
        var refs: [ConfigValue] = []
        var sources: [ConfigValue] = []
        switch n.kind {
        case .model:
            let m = project.models[n.name]!
            config = m.config
            relation = m.relation
            checksum = m.checksum
            pairs += [("path", .string(m.relativePath)), ("description", .string(m.description)), ("columns", Self.columns(m.columns)),
                      ("patch_path", m.patchPath.map { .string("\(m.package ?? project.name)://\(project.localPath($0))") } ?? .null), ("raw_code", .string(m.rawSQL)),
                      ("language", .string("sql"))]
            refs = m.template.refs.map { .dict([("name", .string($0.name)), ("package", $0.package.map { .string($0) } ?? .null), ("version", .null)]) }
            sources = m.template.sources.map { .list([.string($0.source), .string($0.table)]) }
        case .seed:
            let s = project.seeds[n.name]!
            config = s.config
            relation = s.relation
            checksum = s.checksum
            pairs += [("path", .string(String(project.localPath(s.path).split(separator: "/").dropFirst().joined(separator: "/")))),
                      ("description", .string(s.description)), ("columns", Self.columns(s.columns))]
        case .snapshot:
            let s = project.snapshots[n.name]!
            config = s.config
            relation = s.relation
            checksum = s.checksum
            pairs += [("path", .string(s.path)), ("description", .string(s.description)), ("columns", Self.columns(s.columns)),
                      ("patch_path", s.patchPath.map { .string("\(project.name)://\($0)") } ?? .null), ("raw_code", .string(s.rawSQL)),
                      ("language", .string("sql"))]
            refs = s.template.refs.map { .dict([("name", .string($0.name)), ("package", $0.package.map { .string($0) } ?? .null), ("version", .null)]) }
            sources = s.template.sources.map { .list([.string($0.source), .string($0.table)]) }
        case .test:
            if let t = testsById[id] {
                config = t.config
                checksum = t.fileChecksum
                if case .macro(let ns, let name, let column, let args, _, _, _) = t.body {
                    pairs += [("column_name", column.map { .string($0) } ?? .null), ("attached_node", t.attachedTo.map { .string($0) } ?? .null),
                              ("test_metadata", .dict([("name", .string(name)), ("kwargs", args), ("namespace", ns.map { .string($0) } ?? .null)]))]
                    checksum = sha256Hex(id)
                }
                if case .generic(let kind, let column, let args, _, _) = t.body {
                    pairs += [("column_name", .string(column)), ("attached_node", t.attachedTo.map { .string($0) } ?? .null),
                              ("test_metadata", .dict([("name", .string(kind.rawValue)), ("kwargs", args), ("namespace", .null)]))]
                    checksum = sha256Hex(id)
                }
                if case .singular(let tpl) = t.body {
                    refs = tpl.refs.map { .dict([("name", .string($0.name)), ("package", $0.package.map { .string($0) } ?? .null), ("version", .null)]) }
                    sources = tpl.sources.map { .list([.string($0.source), .string($0.table)]) }
                }
            }
            if config["severity"] == nil { config.apply([("severity", .string("ERROR"))]) }
        default:
            return nil
        }
        if config["materialized"] == nil { config.apply([("materialized", .string(n.materialized ?? "test"))]) }
        pairs += [
            ("config", .dict(config.values)), ("tags", Self.strings(n.tags)),
            ("depends_on", .dict([("nodes", Self.strings(n.parents)), ("macros", .list([]))])),
            ("refs", .list(refs)), ("sources", .list(sources)),
            ("checksum", .dict([("name", .string("sha256")), ("checksum", .string(checksum))])),
            ("database", relation.map { _ in .string(project.jinja.target.database) } ?? .null),
            ("schema", relation.map { .string($0.schema) } ?? .null),
            ("alias", relation.map { .string($0.name) } ?? .string(n.name)),
            ("relation_name", relation.map { .string($0.qualified(in: project.jinja.target.database)) } ?? .null),
            ("compiled_path", compiledPaths[id].map { .string($0) } ?? .null),
            ("fitdata", .dict([("config_checksum", .string(Self.configChecksum(config, relation: relation)))])),
        ]
        return .dict(pairs)
    }

    /// ``node(_:compiledPaths:)`` of each of `ids` as JSON (nil for sources and unit tests), built and encoded on
    /// every core: each is independent of the others, and a large project's thousands (config checksums included)
    /// add up.
    private func nodeJSON(_ ids: [String], compiledPaths: [String: String]) -> [[UInt8]?] {
        let results = Mutex([[UInt8]?](repeating: nil, count: ids.count))
        let next = Atomic<Int>(0)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, ids.count / 100))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < ids.count else { return }
                guard let v = node(ids[i], compiledPaths: compiledPaths) else { continue }
                let bytes = JSON.bytes(v)
                results.withLock { $0[i] = bytes }
            }
        }
        return results.withLock { $0 }
    }

    /// `target/manifest.json`.
    func writeManifest(compiledPaths: [String: String]) throws {
        var nodes: [(String, [UInt8])] = []
        var sources: [(String, ConfigValue)] = []
        var units: [(String, ConfigValue)] = []
        let built = nodeJSON(graph.order, compiledPaths: compiledPaths)
        for (i, id) in graph.order.enumerated() {
            guard let n = graph.nodes[id] else { continue }
            switch n.kind {
            case .source:
                let s = sourcesById[id]!
                sources.append((id, .dict([
                    ("unique_id", .string(id)), ("resource_type", .string("source")), ("name", .string(s.name)),
                    ("source_name", .string(s.sourceName)), ("package_name", .string(packageName(of: id) ?? project.name)), ("fqn", Self.strings(n.fqn)),
                    ("schema", .string(s.relation.schema)), ("identifier", .string(s.relation.name)), ("database", .string(s.database)),
                    ("relation_name", .string(s.relation.qualified(in: s.database))), ("description", .string(s.description)),
                    ("columns", Self.columns(s.columns)), ("original_file_path", .string(project.localPath(s.path))), ("path", .string(project.localPath(s.path))),
                ])))
            case .unitTest:
                let u = unitsById[id]!
                units.append((id, .dict([
                    ("unique_id", .string(id)), ("resource_type", .string("unit_test")), ("name", .string(u.name)),
                    ("model", .string(u.model)), ("package_name", .string(packageName(of: id) ?? project.name)), ("fqn", Self.strings(n.fqn)),
                    ("original_file_path", .string(u.location.file)), ("description", .string(u.description)),
                    ("depends_on", .dict([("nodes", Self.strings([graph.nodes[id]?.attachedTo ?? ""])), ("macros", .list([]))])),
                    ("checksum", .dict([("name", .string("sha256")), ("checksum", .string(u.checksum))])),
                    ("given", .list(u.given.map { g in .dict([("input", .string(Self.inputText(g.target))), ("rows", .list(g.rows.map { .dict($0) })), ("format", .string("dict"))]) })),
                    ("expect", .dict([("rows", .list(u.expect.map { .dict($0) })), ("format", .string("dict"))])),
                ])))
            default:
                if let v = built[i] { nodes.append((id, v)) }
            }
        }
        var parentMap: [(String, ConfigValue)] = []
        var childMap: [(String, ConfigValue)] = []
        for id in graph.order {
            parentMap.append((id, Self.strings(graph.nodes[id]?.parents ?? [])))
            childMap.append((id, Self.strings(graph.children[id] ?? [])))
        }
        var nodesJSON: [UInt8] = []
        JSON.appendObject(nodes, into: &nodesJSON)
        let empty = JSON.bytes(.dict([]))
        var manifest: [UInt8] = []
        JSON.appendObject([
            ("metadata", JSON.bytes(metadata("manifest/v12"))), ("nodes", nodesJSON), ("sources", JSON.bytes(.dict(sources))),
            ("macros", empty), ("docs", empty), ("exposures", empty), ("metrics", empty), ("groups", empty),
            ("selectors", empty), ("disabled", empty), ("parent_map", JSON.bytes(.dict(parentMap))),
            ("child_map", JSON.bytes(.dict(childMap))), ("group_map", empty), ("saved_queries", empty),
            ("semantic_models", empty), ("unit_tests", JSON.bytes(.dict(units))),
        ], into: &manifest)
        try write(manifest, "manifest.json")
    }

    static func inputText(_ t: UnitTestInput.Target) -> String {
        switch t {
        case .ref(let r): return "ref('\(r)')"
        case .source(let s, let t): return "source('\(s)', '\(t)')"
        case .this: return "this"
        }
    }

    /// `target/run_results.json`.
    func writeRunResults(_ results: [NodeResult], elapsed: Double, options: RunnerOptions) throws {
        let items: [ConfigValue] = results.map { r in
            .dict([
                ("status", .string(r.status)),
                ("timing", .list([
                    .dict([("name", .string("compile")), ("started_at", .string(Self.iso(r.startedAt))), ("completed_at", .string(Self.iso(r.compiledAt)))]),
                    .dict([("name", .string("execute")), ("started_at", .string(Self.iso(r.compiledAt))), ("completed_at", .string(Self.iso(r.completedAt)))]),
                ])),
                ("thread_id", .string(r.thread)),
                ("execution_time", .double(r.executionTime)),
                ("adapter_response", r.status == "skipped" || r.uniqueId.hasPrefix("operation.") ? .dict([]) : .dict([
                    ("_message", .string(r.response)), ("code", .string(String(r.response.split(separator: " ").first ?? ""))),
                    ("rows_affected", r.rowsAffected.map { .int($0) } ?? .int(-1)),
                ])),
                ("message", r.message.isEmpty ? (r.status == "success" ? .string(r.response) : .null) : .string(r.message)),
                ("failures", r.failures.map { .int($0) } ?? .null),
                ("unique_id", .string(r.uniqueId)),
                ("compiled", .bool(r.compiledSQL != nil)),
                ("compiled_code", r.compiledSQL.map { .string($0) } ?? .null),
                ("relation_name", r.relationName.map { .string($0) } ?? .null),
            ])
        }
        let args = ConfigValue.dict([
            ("which", .string(options.command.rawValue)), ("select", Self.strings(options.select)),
            ("exclude", Self.strings(options.exclude)), ("full_refresh", .bool(options.fullRefresh)),
            ("threads", .int(options.threads)), ("state", options.stateDir.map { .string($0) } ?? .null),
            ("project_dir", .string(options.projectDir)),
        ])
        try write(.dict([("metadata", metadata("run-results/v6")), ("results", .list(items)),
                         ("elapsed_time", .double(elapsed)), ("args", args)]), "run_results.json")
    }

    private func write(_ v: ConfigValue, _ name: String) throws {
        try write(JSON.bytes(v), name)
    }

    private func write(_ json: [UInt8], _ name: String) throws {
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data(json).write(to: target.appendingPathComponent(name), options: .atomic)
    }
}
