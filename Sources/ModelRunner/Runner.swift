import Foundation
import PostgresClient

/// Entry point of the model runner: `build | run | test | compile | seed | ls | docs`.
public final class ModelRunner: @unchecked Sendable {
    public let options: RunnerOptions
    /// Receives every printed line (stdout); thread-safe.
    let log: @Sendable (String) -> Void
    let logError: @Sendable (String) -> Void
    private let outputLock = NSLock()

    public init(options: RunnerOptions,
                log: @escaping @Sendable (String) -> Void = { print($0) },
                logError: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.options = options
        self.log = log
        self.logError = logError
    }

    func say(_ line: String) {
        outputLock.lock(); defer { outputLock.unlock() }
        log(line)
    }

    /// Runs the command; never throws: errors become exit status 2 (project/usage) or 1 (a node failed).
    public func execute() -> RunOutcome {
        let start = Date()
        do {
            return try executeThrowing(start: start)
        } catch let e as ProjectError {
            logError("error: \(e)")
            return RunOutcome(exitCode: 2, results: [], elapsed: Date().timeIntervalSince(start))
        } catch let e as PackageErrors {
            for error in e.errors { logError("error: \(error)") }
            return RunOutcome(exitCode: 2, results: [], elapsed: Date().timeIntervalSince(start))
        } catch let e as BuildStop {
            logError("error: \(e)")
            return RunOutcome(exitCode: 1, results: [], elapsed: Date().timeIntervalSince(start))
        } catch let e as PostgresClientError {
            logError("error: \(e)")
            if case .connectionFailed = e { return RunOutcome(exitCode: 2, results: [], elapsed: Date().timeIntervalSince(start)) }
            return RunOutcome(exitCode: 1, results: [], elapsed: Date().timeIntervalSince(start))
        } catch {
            logError("error: \(error)")
            return RunOutcome(exitCode: 2, results: [], elapsed: Date().timeIntervalSince(start))
        }
    }

    var projectURL: URL {
        URL(fileURLWithPath: options.projectDir, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }

    var targetURL: URL {
        if let t = options.targetDir {
            return URL(fileURLWithPath: t, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        }
        return projectURL.appendingPathComponent("target")
    }

    /// Loads and checks the project (parse, config, graph).
    public func loadProject() throws -> (Project, DependencyGraph) {
        guard options.threads >= 1 else { throw ProjectError("--threads must be at least 1") }
        let vars = try options.vars.map { text -> ConfigValue in
            do { return try ConfigValue.parse(yamlText: text) } catch { throw ProjectError("--vars is not valid YAML/JSON: \(error)") }
        } ?? .dict([])
        if vars.dictValue == nil { throw ProjectError("--vars must be a mapping, e.g. '{\"key\": 1}'") }
        let warnings = WarningLog()
        var loader = ProjectLoader(projectDir: projectURL, vars: vars, targetSchema: options.targetSchema, warnings: warnings,
                                   target: TargetInfo(conninfo: options.resolvedConninfo, schema: options.targetSchema,
                                                      threads: options.threads, name: options.targetName))
        loader.fullRefresh = options.fullRefresh
        loader.which = options.command.rawValue
        let logError = self.logError
        loader.log = { logError($0) }
        let conninfo = options.resolvedConninfo
        loader.connect = { try Connection(conninfo: conninfo) }
        // Every error of the project in one report: the files' and the graph's (unknown refs, cycles, …).
        let (project, loadErrors) = try loader.loadCollectingErrors()
        var errors = loadErrors
        let graph = DependencyGraph(project: project, errors: &errors)
        if !errors.isEmpty { throw ProjectError.combined(errors) }
        for w in warnings.all { logError("warning: \(w)") }
        return (project, graph)
    }

    private func executeThrowing(start: Date) throws -> RunOutcome {
        let (project, graph) = try loadProject()
        // Read the previous manifest before this run overwrites it (same folder is allowed).
        var modified: Set<String>?
        var newNodes: Set<String>?
        if let dir = options.stateDir {
            let prev = try PreviousState.load(URL(fileURLWithPath: dir).appendingPathComponent("manifest.json"))
            (modified, newNodes) = prev.compare(project: project, graph: graph)
        }
        let selector = NodeSelector(graph: graph, projectName: project.name, modified: modified, newNodes: newNodes)
        let selected = try selector.select(options.select, exclude: options.exclude)
        let compiler = TemplateCompiler(project: project)
        let artifacts = Artifacts(project: project, graph: graph, target: targetURL)

        switch options.command {
        case .ls:
            for line in Listing.lines(project: project, graph: graph, selected: selected, format: options.lsOutput) { say(line) }
            return RunOutcome(exitCode: 0, results: [], elapsed: Date().timeIntervalSince(start))
        case .compile:
            let n = try compileAll(project: project, graph: graph, selected: selected, compiler: compiler, artifacts: artifacts)
            try artifacts.writeManifest(compiledPaths: n.paths)
            say("Compiled \(n.count) nodes to \(artifacts.compiledRoot.path) in \(String(format: "%.2f", Date().timeIntervalSince(start)))s")
            return RunOutcome(exitCode: 0, results: [], elapsed: Date().timeIntervalSince(start))
        case .docs:
            try artifacts.writeManifest(compiledPaths: [:])
            try Docs.writeLineage(project: project, graph: graph, target: targetURL)
            say("Wrote \(targetURL.appendingPathComponent("lineage.mmd").path) and \(targetURL.appendingPathComponent("index.html").path)")
            if options.docsApplyComments || options.docsDiagramsDir != nil {
                let conn = try Connection(conninfo: options.resolvedConninfo)
                defer { conn.close() }
                if let dir = options.docsDiagramsDir {
                    let diagram = try SchemaDiagram.load(conn, schema: options.docsERDSchema)
                    let dirURL = URL(fileURLWithPath: dir, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
                    let files = try Docs.writeDiagrams(project: project, graph: graph, diagram: diagram, dir: dirURL)
                    say("Wrote " + files.map(\.path).joined(separator: " and "))
                }
                if options.docsApplyComments {
                    let n = try Docs.applyComments(project: project, selected: selected, conn: conn, warn: { self.logError("warning: \($0)") })
                    say("Applied COMMENT ON to \(n) relations")
                }
            }
            return RunOutcome(exitCode: 0, results: [], elapsed: Date().timeIntervalSince(start))
        case .sourceFreshness:
            let outcome = try SourceFreshness(runner: self, project: project, graph: graph, selected: selected, target: targetURL).execute()
            return RunOutcome(exitCode: outcome.exitCode, results: outcome.results, elapsed: Date().timeIntervalSince(start))
        case .build, .run, .test, .seed, .snapshot:
            let run = try BuildRun(runner: self, project: project, graph: graph, selected: selected, compiler: compiler, artifacts: artifacts)
            let results = try run.execute()
            let elapsed = Date().timeIntervalSince(start)
            try artifacts.writeManifest(compiledPaths: run.compiledPaths)
            try artifacts.writeRunResults(results, elapsed: elapsed, options: options)
            Reporting.summary(results, elapsed: elapsed, graph: graph, say: say)
            return RunOutcome(exitCode: results.contains(where: \.isFailure) ? 1 : 0, results: results, elapsed: elapsed)
        }
    }

    /// `compile`: renders every selected model and test without touching the database (`is_incremental()` is false).
    private func compileAll(project: Project, graph: DependencyGraph, selected: Set<String>, compiler: TemplateCompiler,
                            artifacts: Artifacts) throws -> (count: Int, paths: [String: String]) {
        var paths: [String: String] = [:]
        let lookup = relationLookup(project)
        var single: String?
        let testsById = Dictionary(project.dataTests.map { ($0.uniqueId, $0) }, uniquingKeysWith: { a, _ in a })
        // Every node is compiled; the errors of all of them are reported together.
        var errors: [ProjectError] = []
        func attempt(_ body: () throws -> Void) throws {
            do { try body() } catch let e as ProjectError { errors.append(e) }
        }
        for id in graph.order where selected.contains(id) {
            guard let node = graph.nodes[id] else { continue }
            switch node.kind {
            case .model:
                let m = project.models[node.name]!
                try attempt {
                    let sql = try compiler.compile(model: m, isIncremental: false)
                    paths[id] = try artifacts.writeCompiled(path: m.path, sql: sql)
                    single = single == nil ? sql : ""
                }
            case .snapshot:
                let s = project.snapshots[node.name]!
                try attempt {
                    let sql = try EmbeddedTemplate.render(s, compiler: compiler, connection: nil)
                    paths[id] = try artifacts.writeCompiled(path: s.path, sql: sql)
                }
            case .test:
                let t = testsById[id]!
                try attempt {
                    let sql = try DataTestSQL.compile(t, graph: graph, compiler: compiler, lookup: lookup)
                    paths[id] = try artifacts.writeCompiled(path: Artifacts.testPath(t), sql: sql)
                }
            default: continue
            }
        }
        if options.select.isEmpty {
            // Like `dbt compile`: the run hooks are rendered (not run) when nothing is selected.
            paths.merge(ProjectHooks.compile(project: project, artifacts: artifacts, errors: &errors)) { a, _ in a }
            for a in project.analyses {
                try attempt {
                    for r in a.template.refs where project.models[r.name] == nil && project.seeds[r.name] == nil {
                        throw ProjectError("ref('\(r.name)') does not match any model or seed", at: a.template.location(ofRef: r.name))
                    }
                    let sql = try compiler.compile(template: a.template, node: .init(name: a.name, resourceType: "analysis", package: a.package),
                                                   isIncremental: false, overrides: .init())
                    _ = try artifacts.writeCompiled(path: a.path, sql: sql)
                }
            }
        }
        if !errors.isEmpty { throw ProjectError.combined(errors) }
        if options.select.count == 1, let single, !single.isEmpty, paths.count == 1 { say(single) }
        return (paths.count, paths)
    }
}

/// Unique id → relation for every model, seed and source.
func relationLookup(_ project: Project) -> (String) -> Relation? {
    var map: [String: Relation] = [:]
    for m in project.models.values { map[m.uniqueId] = m.relation }
    for s in project.seeds.values { map[s.uniqueId] = s.relation }
    for s in project.sources.values { map[s.uniqueId] = s.relation }
    for s in project.snapshots.values { map[s.uniqueId] = s.relation }
    return { map[$0] }
}

/// `ls` output lines.
enum Listing {
    static func lines(project: Project, graph: DependencyGraph, selected: Set<String>, format: String) -> [String] {
        graph.order.filter { selected.contains($0) && graph.nodes[$0]?.kind != .source }.compactMap { id in
            guard let n = graph.nodes[id] else { return nil }
            switch format {
            case "name": return n.name
            case "path": return n.path
            case "unique_id": return id
            case "json":
                return JSON.encode(.dict([("name", .string(n.name)), ("resource_type", .string(n.kind.rawValue)),
                                          ("unique_id", .string(id)), ("original_file_path", .string(n.path)),
                                          ("tags", .list(n.tags.map { .string($0) })),
                                          ("config", .dict([("materialized", .string(n.materialized ?? ""))]))]))
            default:
                let prefix = n.kind == .model ? "" : n.kind.rawValue + ":"
                return prefix + n.fqn.joined(separator: ".")
            }
        }
    }
}
