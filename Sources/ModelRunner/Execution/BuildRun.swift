import Foundation
import PostgresClient

/// One `build | run | test | seed` invocation: picks the nodes, orders them, runs them on N connections.
final class BuildRun: @unchecked Sendable {
    let runner: ModelRunner
    let project: Project
    let graph: DependencyGraph
    let compiler: TemplateCompiler
    let artifacts: Artifacts
    let options: RunnerOptions
    /// Nodes that do work in this run, in topological order.
    let executed: [String]
    let executedSet: Set<String>
    var dependencies: [String: Set<String>] = [:]
    private(set) var catalog = Catalog()
    /// Whether the database is a Citus coordinator (read once, before any node runs): `distributed_by:` applies then.
    private(set) var isCitus = false
    let lookup: (String) -> Relation?
    private let lock = NSLock()
    private var results: [String: NodeResult] = [:]
    private var completed = 0
    private var pathsById: [String: String] = [:]
    private var testsById: [String: DataTest] = [:]
    private var unitById: [String: UnitTest] = [:]

    var compiledPaths: [String: String] { lock.lock(); defer { lock.unlock() }; return pathsById }

    init(runner: ModelRunner, project: Project, graph: DependencyGraph, selected: Set<String>, compiler: TemplateCompiler,
         artifacts: Artifacts) throws {
        self.runner = runner
        self.project = project
        self.graph = graph
        self.compiler = compiler
        self.artifacts = artifacts
        self.options = runner.options
        self.lookup = relationLookup(project)
        let kinds: Set<NodeKind>
        switch options.command {
        case .run: kinds = [.model]
        case .test: kinds = [.test, .unitTest]
        case .seed: kinds = [.seed]
        case .snapshot: kinds = [.snapshot]
        default: kinds = [.model, .seed, .snapshot, .test, .unitTest]
        }
        for t in project.dataTests { testsById[t.uniqueId] = t }
        for u in project.unitTests { unitById[u.uniqueId] = u }
        executed = graph.order.filter { id in
            guard selected.contains(id), let n = graph.nodes[id], kinds.contains(n.kind) else { return false }
            if n.kind == .model { return project.models[n.name]?.materialization != .ephemeral }
            return true
        }
        executedSet = Set(executed)
        computeDependencies()
    }

    /// Edges between executed nodes, through nodes that are not executed (like dbt's subset graph);
    /// in `build`, a node also waits for the tests of its parents and for its own unit tests.
    private func computeDependencies() {
        var memo: [String: Set<String>] = [:]
        func executedAncestors(_ id: String) -> Set<String> {
            if let m = memo[id] { return m }
            var out = Set<String>()
            for p in graph.nodes[id]?.parents ?? [] {
                if executedSet.contains(p) { out.insert(p) } else { out.formUnion(executedAncestors(p)) }
            }
            memo[id] = out
            return out
        }
        for id in executed { dependencies[id] = executedAncestors(id) }
        guard options.command == .build else { return }
        // Extra build edges: a model waits for its unit tests, and for the data tests of the nodes (and sources)
        // it reads. Each edge is added only if it cannot close a cycle (multi-parent tests, e.g. relationships).
        func waitsFor(_ from: String, _ target: String) -> Bool {
            var seen: Set<String> = [from]
            var stack = [from]
            while let x = stack.popLast() {
                for d in dependencies[x] ?? [] where seen.insert(d).inserted {
                    if d == target { return true }
                    stack.append(d)
                }
            }
            return false
        }
        func addEdge(_ node: String, waitsOn test: String) {
            guard node != test, dependencies[node]?.contains(test) != true, !waitsFor(test, node) else { return }
            dependencies[node, default: []].insert(test)
        }
        for id in executed {
            guard let n = graph.nodes[id] else { continue }
            if n.kind == .unitTest, let model = n.attachedTo, executedSet.contains(model) {
                addEdge(model, waitsOn: id)
            }
            guard n.kind == .test else { continue }
            var upstream = Array(dependencies[id] ?? [])
            upstream += n.parents.filter { graph.nodes[$0]?.kind == .source }
            for p in upstream.sorted() {
                for c in graph.children[p] ?? [] where executedSet.contains(c) {
                    guard let ck = graph.nodes[c]?.kind, ck == .model || ck == .seed || ck == .snapshot else { continue }
                    addEdge(c, waitsOn: id)
                }
            }
        }
    }

    /// A new session with the options' `sessionSettings` applied.
    private func openSession(_ conninfo: String) throws -> Connection {
        let conn = try Connection(conninfo: conninfo)
        do {
            for (name, value) in options.sessionSettings.sorted(by: { $0.key < $1.key }) {
                _ = try conn.query("select set_config($1, $2, false)", [name, value])
            }
        } catch {
            conn.close()
            throw error
        }
        return conn
    }

    func execute() throws -> [NodeResult] {
        let conninfo = options.resolvedConninfo
        let main = try openSession(conninfo)
        defer { main.close() }
        try takeDataLock(main)
        try runHook(options.beforeNodes, on: main, stage: "before the first node")
        try prepareSchemas(main)
        let total = executed.count
        if total == 0 {
            runner.say("Nothing to do: the selection matches no node for `\(options.command.rawValue)`.")
            try runHook(options.afterNodes, on: main, stage: "after the build")
            return []
        }
        // on-run-start: once, before any node, on the connection holding the data lock; a failure skips every node.
        let startHooks = ProjectHooks.run(project.onRunStart, on: main, runner: runner, project: project)
        if let failed = startHooks.first(where: \.isFailure) {
            for id in executed { record(skipped(id, "SKIP: on-run-start failed (\(failed.message))")) }
            let endHooks = ProjectHooks.run(project.onRunEnd, on: main, runner: runner, project: project)
            lock.lock(); let finished = executed.compactMap { results[$0] }; lock.unlock()
            try runHook(options.afterNodes, on: main, stage: "after the build")
            return startHooks + finished + endHooks
        }
        let threads = max(1, min(options.threads, total))
        runner.say("Running \(total) nodes with \(threads) thread\(threads == 1 ? "" : "s")")
        var connections: [Connection?] = [main] + Array(repeating: nil, count: threads - 1)
        var connectError: Error?
        for i in 1..<max(threads, 1) {
            do { connections[i] = try openSession(conninfo) } catch { connectError = error; break }
        }
        if let connectError {
            connections.dropFirst().forEach { $0?.close() }
            throw connectError
        }
        let conns = connections.compactMap { $0 }
        defer { conns.dropFirst().forEach { $0.close() } }
        let scheduler = Scheduler(order: executed, dependencies: dependencies)
        scheduler.run(threads: conns.count, work: { [self] id, worker in
            if stopped {
                record(skipped(id, "SKIP: the build stopped: the connection to PostgreSQL was lost"))
                return true
            }
            let r = NodeExecutor(run: self, connection: conns[worker], thread: "Thread-\(worker + 1)").execute(id)
            // A dead connection fails every later statement: stop the build instead of trying each node on it.
            if r.isFailure, !conns[worker].isConnected { stop(at: r) }
            record(r)
            return r.isFailure
        }, skip: { [self] id in
            record(skipped(id, "SKIP: an upstream node failed"))
        })
        for id in scheduler.stranded {
            var r = NodeResult(uniqueId: id, status: "error")
            r.message = "internal error: dependency cycle in the execution plan; node not run"
            record(r)
        }
        lock.lock()
        if let lost = lostAt {
            let skippedCount = results.values.filter { $0.status == "skipped" }.count
            runner.logError("error: \(BuildStop.connectionLost(node: Reporting.label(lost.uniqueId, graph: graph), message: lost.message, skipped: skippedCount))")
        } else if (try? main.query("SELECT 1")) == nil {
            // The connection holding the data lock died while the other connections finished the run.
            lock.unlock()
            throw BuildStop.connectionLost(node: nil, message: "the connection holding the data lock closed", skipped: 0)
        }
        let finished = executed.compactMap { results[$0] }
        let connectionLost = lostAt != nil
        lock.unlock()
        // on-run-end: once, after the last node, whatever the nodes' outcome (not when the connection is gone).
        let endContext = ProjectHooks.endContext(results: finished, graph: graph, lookup: lookup, database: project.jinja.target.database)
        let endHooks = connectionLost ? [] : ProjectHooks.run(project.onRunEnd, on: main, runner: runner, project: project, context: endContext)
        if !connectionLost { try runHook(options.afterNodes, on: main, stage: "after the build") }
        return startHooks + finished + endHooks
    }

    /// Runs a caller's hook on the connection holding the data lock; its failure stops the run (exit 1).
    private func runHook(_ hook: (@Sendable (Connection) throws -> Void)?, on main: Connection, stage: String) throws {
        guard let hook else { return }
        do { try hook(main) } catch { throw BuildStop.hookFailed(stage: stage, message: "\(error)") }
    }

    /// Holds the data lock (``DataLock``) exclusively on `main` for the whole run (the connection's end releases it):
    /// running loads and syncs finish first, later ones wait, a second build waits for this one; so every node reads
    /// the same state of the data.
    private func takeDataLock(_ main: Connection) throws {
        var holders = ""
        do {
            try DataLock.exclusive(main, timeout: options.lockTimeout) { who in
                holders = who
                let limit = self.options.lockTimeout.map { " (up to \(Reporting.seconds($0)), --lock-timeout)" } ?? ""
                self.runner.say("Waiting for running loads, syncs or another build to finish: data lock held by \(who)\(limit)")
            }
        } catch PostgresClientError.lockTimeout(_, let seconds) {
            throw BuildStop.lockTimeout(seconds: seconds, holders: holders)
        }
    }

    /// The first node that failed because its connection was lost; once set, nodes not yet started are skipped.
    private var lostAt: NodeResult?
    private var stopped: Bool { lock.lock(); defer { lock.unlock() }; return lostAt != nil }

    private func stop(at r: NodeResult) {
        lock.lock(); defer { lock.unlock() }
        if lostAt == nil { lostAt = r }
    }

    private func skipped(_ id: String, _ message: String) -> NodeResult {
        var r = NodeResult(uniqueId: id, status: "skipped")
        r.message = message
        r.relationName = lookup(id)?.qualified(in: project.jinja.target.database)
        return r
    }

    private func record(_ r: NodeResult) {
        lock.lock()
        results[r.uniqueId] = r
        completed += 1
        let k = completed
        if let p = r.compiledPath { pathsById[r.uniqueId] = p }
        lock.unlock()
        runner.say(Reporting.line(r, index: k, total: executed.count, graph: graph))
    }

    /// Reads the catalog, creates missing schemas, grants schema USAGE to reader roles — once, before any node runs.
    private func prepareSchemas(_ conn: Connection) throws {
        var schemas: [String] = []
        var usage: [String: Set<String>] = [:]
        for id in executed {
            guard let n = graph.nodes[id], n.kind == .model || n.kind == .seed || n.kind == .snapshot, let rel = lookup(id) else { continue }
            if !schemas.contains(rel.schema) { schemas.append(rel.schema) }
            for role in readerRoles(for: id) { usage[rel.schema, default: []].insert(role) }
        }
        catalog = try Catalog.load(conn, schemas: schemas)
        isCitus = try Distribution.isCitus(conn)
        guard !schemas.isEmpty else { return }
        let existing = Set(try conn.query("SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])", [pgArray(schemas)]).rows.map { $0[0]! })
        var stmts = schemas.filter { !existing.contains($0) }.map { "CREATE SCHEMA IF NOT EXISTS \(Connection.quoteIdentifier($0))" }
        for (schema, roles) in usage.sorted(by: { $0.key < $1.key }) {
            stmts.append("GRANT USAGE ON SCHEMA \(Connection.quoteIdentifier(schema)) TO \(roles.sorted().map(Connection.quoteIdentifier).joined(separator: ", "))")
        }
        if !stmts.isEmpty { try conn.execute(stmts.joined(separator: ";\n")) }
    }

    /// Roles that get SELECT on a node's relation: `grants: {select: [...]}` plus `--reader-role`.
    func readerRoles(for id: String) -> [String] {
        var roles: [String] = []
        if let n = graph.nodes[id] {
            let cfg: NodeConfig?
            switch n.kind {
            case .model: cfg = project.models[n.name]?.config
            case .snapshot: cfg = project.snapshots[n.name]?.config
            default: cfg = project.seeds[n.name]?.config
            }
            for (priv, r) in cfg?.grants ?? [] where priv.lowercased() == "select" { roles += r }
        }
        if let r = options.readerRole, !r.isEmpty, !roles.contains(r) { roles.append(r) }
        return roles
    }

    /// Grants for a node: its `grants:` config, plus SELECT for `--reader-role`.
    func grants(for id: String, config: NodeConfig) -> [(String, [String])] {
        var g = config.grants
        if let r = options.readerRole, !r.isEmpty {
            if let i = g.firstIndex(where: { $0.0.lowercased() == "select" }) {
                if !g[i].1.contains(r) { g[i].1.append(r) }
            } else {
                g.append(("select", [r]))
            }
        }
        return g
    }

    /// Relations of executed models and seeds downstream of `id` (dependent views left to their own step).
    func rebuiltDownstream(of id: String) -> [Relation] {
        graph.descendants(of: id).filter { executedSet.contains($0) }.compactMap { d -> Relation? in
            guard let n = graph.nodes[d], n.kind == .model || n.kind == .seed else { return nil }
            return lookup(d)
        }.sorted { $0.description < $1.description }
    }

    /// The Citus statements that distribute a freshly created table or seed: none on plain PostgreSQL.
    func distribution(_ rel: Relation, config: NodeConfig) -> [String] {
        guard isCitus, let d = Distribution(config: config) else { return [] }
        return d.statements(rel)
    }

    func test(_ id: String) -> DataTest? { testsById[id] }
    func unitTest(_ id: String) -> UnitTest? { unitById[id] }
}
