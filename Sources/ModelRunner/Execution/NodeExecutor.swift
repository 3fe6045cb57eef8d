import Foundation
import PostgresClient

/// Runs one node on one connection and reports its result; never throws.
struct NodeExecutor {
    let run: BuildRun
    let connection: Connection
    let thread: String

    var project: Project { run.project }

    func execute(_ id: String) -> NodeResult {
        var r = NodeResult(uniqueId: id, status: "error")
        r.thread = thread
        r.startedAt = Date()
        r.compiledAt = r.startedAt
        guard let node = run.graph.nodes[id] else { return r }
        do {
            switch node.kind {
            case .model: try model(project.models[node.name]!, &r)
            case .seed: try seed(project.seeds[node.name]!, &r)
            case .test: try dataTest(run.test(id)!, &r)
            case .unitTest: try unitTest(run.unitTest(id)!, &r)
            case .snapshot: try snapshot(project.snapshots[node.name]!, &r)
            case .source: r.status = "success"
            }
        } catch let e as ProjectError {
            r.status = "error"
            r.message = e.description
            r.location = e.location?.description ?? r.location
        } catch let e as PostgresClientError {
            r.status = "error"
            r.message = e.description
            if case .server(let se) = e, r.location == nil || r.location?.contains(":") == false {
                r.location = Reporting.locate(error: se, node: node, project: project) ?? r.location
            }
            // A broken statement may leave a transaction open: make the connection usable for the next node.
            _ = try? connection.execute("ROLLBACK")
        } catch {
            r.status = "error"
            r.message = "\(error)"
        }
        r.completedAt = Date()
        return r
    }

    private func writeCompiled(_ path: String, _ sql: String, _ r: inout NodeResult) {
        r.compiledSQL = sql
        r.compiledPath = try? run.artifacts.writeCompiled(path: path, sql: sql)
        r.compiledAt = Date()
    }

    private func model(_ m: Model, _ r: inout NodeResult) throws {
        r.relationName = m.relation.qualified(in: project.jinja.target.database)
        r.location = m.path
        let fullRefresh = run.options.fullRefresh && (m.config["full_refresh"]?.boolValue ?? true)
        let incremental = m.materialization == .incremental && !fullRefresh && run.catalog.isTable(m.relation)
        let sql = try run.compiler.compile(model: m, isIncremental: incremental, connection: connection)
        writeCompiled(m.path, sql, &r)
        let isView = m.materialization == .view
        let hooks = try NodeHooks(config: m.config, this: m.relation, file: m.path, project: project, isIncremental: incremental,
                                  connection: connection)
        try NodeHooks.runOutside(hooks.preOutside, on: connection)
        // Inside-transaction hooks share the model's one message: pre-hooks first, post-hooks before grants and comments.
        var extras = hooks.postInside + Materializer.grants(m.relation, run.grants(for: m.uniqueId, config: m.config))
        extras += Materializer.comments(m.relation, isView: isView, description: m.description, columns: m.columns,
                                        relation: m.config.persistRelationDocs, withColumns: m.config.persistColumnDocs)
        switch m.materialization {
        case .view:
            do {
                try connection.execute(hooks.wrapping(Materializer.view(m.relation, sql: sql, extras: extras)))
            } catch PostgresClientError.server(let e) where ["42P16", "42804", "42809"].contains(e.sqlstate) {
                // Columns changed (or a table is in the way): build under a temporary name and swap.
                try connection.execute(hooks.wrapping(Materializer.viewSwap(m.relation, sql: sql, extras: extras, rebuilt: run.rebuiltDownstream(of: m.uniqueId))))
            }
            r.response = "CREATE VIEW"
            r.rowsAffected = -1
        case .table, .incremental:
            let res: QueryResult
            if incremental {
                res = try connection.execute(hooks.wrapping(Materializer.incremental(
                    m.relation, sql: sql,
                    uniqueKey: m.config["incremental_strategy"]?.stringValue == "append" ? [] : m.config.uniqueKey,
                    extras: extras)))
            } else {
                res = try table(m, sql: sql, extras: run.distribution(m.relation, config: m.config) + extras, hooks: hooks)
            }
            // The row-count query's value, or the command tag of a lone `CREATE TABLE … AS` ("SELECT n").
            let rows = res.columns.isEmpty ? res.affectedRows : Int(res.scalar ?? "") ?? 0
            r.rowsAffected = rows
            r.response = incremental ? "INSERT \(rows)" : "SELECT \(rows)"
        case .ephemeral:
            r.response = "EPHEMERAL"
        }
        try NodeHooks.runOutside(hooks.postOutside, on: connection)
        r.status = "success"
    }

    /// A table model: created directly, replaced, or swapped (see ``Materializer/TableStrategy``).
    /// Dependent views are looked up (in the swap's DO block) only for tables that had dependents when the run started.
    private func table(_ m: Model, sql: String, extras: [String], hooks: NodeHooks) throws -> QueryResult {
        let strategy = Materializer.tableStrategy(kind: run.catalog.kind(m.relation), hasDependents: run.catalog.hasDependents(m.relation))
        func stmt(_ s: Materializer.TableStrategy) -> String {
            hooks.wrapping(Materializer.table(m.relation, sql: sql, indexes: m.config.indexes, extras: extras,
                                              rebuilt: s == .swap ? run.rebuiltDownstream(of: m.uniqueId) : [], strategy: s))
        }
        do {
            return try connection.execute(stmt(strategy))
        } catch PostgresClientError.server(let e) where strategy != .swap && Materializer.TableStrategy.staleSQLStates.contains(e.sqlstate) {
            // The catalog changed since the run started (the failed transaction changed nothing): take the general path.
            _ = try? connection.execute("ROLLBACK")
            return try connection.execute(stmt(.swap))
        }
    }

    private func seed(_ s: Seed, _ r: inout NodeResult) throws {
        r.relationName = s.relation.qualified(in: project.jinja.target.database)
        r.location = s.path
        let hooks = try NodeHooks(config: s.config, this: s.relation, file: s.path, project: project, connection: connection)
        var extras = hooks.postInside + Materializer.grants(s.relation, run.grants(for: s.uniqueId, config: s.config))
        extras += Materializer.comments(s.relation, isView: false, description: s.description, columns: s.columns,
                                        relation: s.config.persistRelationDocs, withColumns: s.config.persistColumnDocs)
        try NodeHooks.runOutside(hooks.preOutside, on: connection)
        let n = try SeedLoader.load(s, project: project, conn: connection, preHooks: hooks.preInside,
                                    extras: run.distribution(s.relation, config: s.config) + extras, rebuilt: run.rebuiltDownstream(of: s.uniqueId))
        try NodeHooks.runOutside(hooks.postOutside, on: connection)
        r.rowsAffected = n
        r.response = "INSERT \(n)"
        r.status = "success"
    }

    /// A snapshot: its select compiled, then created or merged in one transaction (``SnapshotRunner``).
    private func snapshot(_ s: Snapshot, _ r: inout NodeResult) throws {
        r.relationName = s.relation.qualified(in: project.jinja.target.database)
        r.location = s.location.description
        let sql = try EmbeddedTemplate.render(s, compiler: run.compiler, connection: connection)
        writeCompiled(s.path, sql, &r)
        let hooks = try NodeHooks(config: s.config, this: s.relation, file: s.path, project: project, connection: connection)
        var extras = Materializer.grants(s.relation, run.grants(for: s.uniqueId, config: s.config))
        extras += Materializer.comments(s.relation, isView: false, description: s.description, columns: s.columns,
                                        relation: s.config.persistRelationDocs, withColumns: s.config.persistColumnDocs)
        let out = try SnapshotRunner.run(s, query: sql, conn: connection, hooks: hooks, extras: extras)
        r.rowsAffected = out.inserted
        r.response = out.created ? "SELECT \(out.inserted)" : "INSERT \(out.inserted)"
        if !out.created { r.message = "INSERT \(out.inserted), closed \(out.invalidated) version\(out.invalidated == 1 ? "" : "s")" }
        r.status = "success"
    }

    private func dataTest(_ t: DataTest, _ r: inout NodeResult) throws {
        r.location = t.location.description
        let (sql, macroConfig) = try DataTestSQL.compileWithConfig(t, graph: run.graph, compiler: run.compiler, lookup: run.lookup,
                                                                   connection: connection)
        writeCompiled(Artifacts.testPath(t), sql, &r)
        // The test's own config wins over its macro's `config()` defaults.
        func setting(_ key: String) -> String? { t.config[key]?.stringValue ?? macroConfig.last(where: { $0.0 == key })?.1.stringValue }
        // No parameters: the simple protocol (one Query message) instead of the extended one (Parse/Bind/Execute).
        let failures = DataTestSQL.failures(try connection.execute(
            DataTestSQL.countQuery(sql, failCalc: setting("fail_calc"))).scalar)
        r.failures = failures
        r.rowsAffected = failures
        r.response = "SELECT 1"
        let severity = (setting("severity") ?? "error").lowercased()
        let errorIf = setting("error_if")
        let warnIf = setting("warn_if")
        if severity == "error", DataTestSQL.threshold(errorIf, failures) {
            r.status = "fail"
        } else if DataTestSQL.threshold(warnIf, failures) {
            r.status = "warn"
        } else {
            r.status = "pass"
        }
        if failures > 0 {
            r.message = "Got \(failures) result\(failures == 1 ? "" : "s"), configured to \(r.status == "fail" ? "fail" : (r.status == "warn" ? "warn" : "pass")) if != 0"
        }
    }

    private func unitTest(_ u: UnitTest, _ r: inout NodeResult) throws {
        r.location = u.location.description
        let outcome = try UnitTestRunner.run(u, project: project, compiler: run.compiler, conn: connection)
        writeCompiled(Artifacts.unitTestPath(u), outcome.sql, &r)
        r.status = outcome.passed ? "pass" : "fail"
        r.failures = outcome.passed ? 0 : 1
        r.message = outcome.message
    }
}
