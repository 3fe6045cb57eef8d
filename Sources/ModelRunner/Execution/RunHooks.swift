import Foundation
import Jinja
import PostgresClient

/// Runs the project's `on-run-start` / `on-run-end` hooks (build, run, test, seed, snapshot and source freshness).
enum ProjectHooks {
    /// Runs `hooks` on `conn`, in order, each in its own transaction, printing one line each like dbt 1.11; the first
    /// failure stops the list (later hooks are reported skipped). The results go into run_results.json like dbt's.
    static func run(_ hooks: [RunHook], on conn: Connection, runner: ModelRunner, project: Project,
                    context: [String: Value] = [:]) -> [NodeResult] {
        guard !hooks.isEmpty else { return [] }
        var results: [NodeResult] = []
        var failed = false
        for (i, hook) in hooks.enumerated() {
            var r = NodeResult(uniqueId: hook.uniqueId(project: project.name), status: "error")
            r.location = hook.location.description
            r.startedAt = Date()
            r.compiledAt = r.startedAt
            if failed {
                r.status = "skipped"
                r.message = "SKIP: an earlier \(hook.kind.rawValue) hook failed"
            } else {
                do {
                    let sql = try EmbeddedTemplate.renderRunHook(hook.sql, file: hook.location.file, context: context,
                                                                 project: project, connection: conn)
                    r.compiledSQL = sql
                    r.compiledAt = Date()
                    _ = try conn.execute(sql)
                    r.status = "success"
                    r.message = "\(project.name).\(hook.kind.rawValue).\(hook.index) passed"
                } catch {
                    r.status = "error"
                    r.message = "\(hook.name(project: project.name)): \(error)"
                    if let e = error as? ProjectError, let l = e.location { r.location = l.description }
                    _ = try? conn.execute("ROLLBACK")
                    failed = true
                }
            }
            r.completedAt = Date()
            runner.say(Reporting.hookLine(r, name: "\(project.name).\(hook.kind.rawValue).\(hook.index)", index: i + 1, total: hooks.count))
            results.append(r)
        }
        runner.say("")
        return results
    }
}

extension ProjectHooks {
    /// `fitdata compile`: renders every `on-run-start` / `on-run-end` hook as dbt 1.11's `dbt compile` does, without
    /// running it, into `compiled/<project>/dbt_project.yml/hooks/<project>-on-run-start-0.sql`; `this` is none and
    /// on-run-end's `results`, `schemas` and `database_schemas` are empty. Returns unique id → compiled path; the
    /// error of each hook that fails to render goes to `errors`, at the hook's key in dbt_project.yml.
    static func compile(project: Project, artifacts: Artifacts, errors: inout [ProjectError]) -> [String: String] {
        let empty: [String: Value] = ["results": .array([]), "schemas": .array([]), "database_schemas": .array([])]
        var paths: [String: String] = [:]
        for hook in project.onRunStart + project.onRunEnd {
            do {
                let sql = try EmbeddedTemplate.renderRunHook(hook.sql, file: hook.location.file, context: hook.kind == .end ? empty : [:],
                                                             project: project, connection: nil)
                paths[hook.uniqueId(project: project.name)] = try artifacts.writeCompiled(
                    path: "dbt_project.yml/hooks/\(hook.name(project: project.name)).sql", sql: sql)
            } catch {
                // The template's own positions count from the hook text: cite the hook's key in dbt_project.yml.
                let message = (error as? ProjectError)?.message ?? "\(error)"
                errors.append(ProjectError("\(hook.name(project: project.name)): \(message)", at: hook.location))
            }
        }
        return paths
    }

    /// dbt's on-run-end context: `results` (one object per node result: `status`, `message`, `execution_time`,
    /// `failures`, `adapter_response`, `node` with `unique_id`, `name`, `resource_type`, `schema`, `alias`),
    /// `schemas` (the schemas of the nodes that ran, sorted) and `database_schemas` (`(database, schema)` pairs).
    static func endContext(results: [NodeResult], graph: DependencyGraph, lookup: (String) -> Relation?, database: String) -> [String: Value] {
        var schemas: [String] = []
        let items: [Value] = results.map { r in
            let n = graph.nodes[r.uniqueId]
            let rel = lookup(r.uniqueId)
            if let rel, r.status != "skipped", [.model, .seed, .snapshot].contains(n?.kind), !schemas.contains(rel.schema) {
                schemas.append(rel.schema)
            }
            let node = Value.dictionary([
                ("unique_id", .string(r.uniqueId)), ("name", .string(n?.name ?? r.uniqueId.split(separator: ".").last.map(String.init) ?? "")),
                ("resource_type", .string(n?.kind.rawValue ?? "operation")), ("schema", rel.map { .string($0.schema) } ?? .none),
                ("alias", rel.map { .string($0.name) } ?? .none),
            ])
            return .dictionary([
                ("status", .string(r.status)), ("message", r.message.isEmpty ? .none : .string(r.message)),
                ("execution_time", .double(r.executionTime)), ("failures", r.failures.map { .int($0) } ?? .none),
                ("adapter_response", .dictionary([("_message", .string(r.response)), ("rows_affected", r.rowsAffected.map { .int($0) } ?? .none)])),
                ("node", node),
            ])
        }
        schemas.sort()
        return [
            "results": .array(items),
            "schemas": .array(schemas.map { .string($0) }),
            "database_schemas": .array(schemas.map { .tuple([.string(database), .string($0)]) }),
        ]
    }
}

extension Reporting {
    /// `1 of 2 OK hook: fx.on-run-start.0 ........ [OK in 0.01s]`, as dbt prints hooks.
    static func hookLine(_ r: NodeResult, name: String, index: Int, total: Int) -> String {
        let secs = seconds(r.executionTime)
        let (word, tail): (String, String)
        switch r.status {
        case "success": (word, tail) = ("OK", "[OK in \(secs)]")
        case "skipped": (word, tail) = ("SKIP", "[SKIP]")
        default: (word, tail) = ("ERROR", "[ERROR in \(secs)]")
        }
        let head = "\(index) of \(total) \(word) hook: \(name) "
        return dotted(head, tail)
    }
}
