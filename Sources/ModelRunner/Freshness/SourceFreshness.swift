import Foundation
import PostgresClient

/// `fitdata source freshness`: for each selected source table with freshness criteria, the newest `loaded_at_field`
/// value (or the value of its `loaded_at_query`) against the database's clock, printed like dbt and written to `sources.json`.
struct SourceFreshness {
    /// One source table's check, shaped after dbt's sources.json entries.
    struct Result {
        var source: SourceTable
        /// `pass`, `warn`, `error` (stale) or `runtime error` (the query failed, or the table is empty).
        var status: String
        var maxLoadedAt: String?
        var snapshottedAt: String?
        var ageSeconds: Double?
        var message = ""
        var startedAt = Date()
        var completedAt = Date()
        var sql: String?
    }

    let runner: ModelRunner
    let project: Project
    let graph: DependencyGraph
    let selected: Set<String>
    let target: URL

    /// Runs every check (serially, one connection: each is one small aggregate query); exit 1 on error or runtime error.
    func execute() throws -> (exitCode: Int32, results: [NodeResult]) {
        let start = Date()
        let tables = graph.order.filter { selected.contains($0) && graph.nodes[$0]?.kind == .source }
            .compactMap { id in project.sources.values.first { $0.uniqueId == id } }
        var checked: [SourceTable] = []
        for t in tables {
            if t.freshness == nil { continue }
            guard t.loadedAt != nil else {
                // PostgreSQL has no table-modification metadata dbt could fall back on: say so instead of skipping silently.
                runner.logError("warning: \(t.path):\(t.line): source \(t.sourceName).\(t.name) has freshness criteria but no loaded_at_field or loaded_at_query; not checked")
                continue
            }
            checked.append(t)
        }
        if checked.isEmpty {
            runner.say("Nothing to do: no selected source table has freshness criteria (freshness: + loaded_at_field:).")
            try write([], elapsed: Date().timeIntervalSince(start))
            return (0, [])
        }
        let conn = try Connection(conninfo: runner.options.resolvedConninfo)
        defer { conn.close() }
        // Like dbt, on-run-start / on-run-end run around the checks too.
        let startHooks = ProjectHooks.run(project.onRunStart, on: conn, runner: runner, project: project)
        var results: [Result] = []
        if !startHooks.contains(where: \.isFailure) {
            for (i, t) in checked.enumerated() {
                let r = check(t, conn: conn)
                results.append(r)
                runner.say(Self.line(r, index: i + 1, total: checked.count))
            }
        }
        let endHooks = ProjectHooks.run(project.onRunEnd, on: conn, runner: runner, project: project)
        let hooksFailed = (startHooks + endHooks).contains(where: \.isFailure)
        for h in (startHooks + endHooks) where h.isFailure { runner.logError("error: \(h.location ?? ""): \(h.message)") }
        let elapsed = Date().timeIntervalSince(start)
        try write(results, elapsed: elapsed)
        runner.say("")
        runner.say("Finished running \(results.count) source\(results.count == 1 ? "" : "s") in \(String(format: "%.2f", elapsed))s.")
        for r in results where r.status != "pass" {
            runner.say("\(Self.word(r.status)) source \(r.source.sourceName).\(r.source.name) at \(r.source.path):\(r.source.line): \(r.message)")
        }
        let count = { (s: String) in results.filter { $0.status == s }.count }
        runner.say("Done. PASS=\(count("pass")) WARN=\(count("warn")) ERROR=\(count("error") + count("runtime error")) TOTAL=\(results.count)")
        let failed = hooksFailed || results.contains { $0.status == "error" || $0.status == "runtime error" }
        return (failed ? 1 : 0, startHooks + results.map(nodeResult) + endHooks)
    }

    /// The two queries of one check: the type of the measured value, then the age.
    private func check(_ t: SourceTable, conn: Connection) -> Result {
        var r = Result(source: t, status: "runtime error")
        guard let loadedAt = t.loadedAt, let criteria = t.freshness else { return r }
        do {
            let measure = try Measure(loadedAt, table: t, filter: criteria.filter, project: project, conn: conn)
            let type = try conn.execute(measure.typeQuery(t)).scalar ?? ""
            // dbt reads a value without time zone as UTC.
            let asUTC: String
            switch type {
            case "timestamp with time zone": asUTC = measure.value
            case "timestamp without time zone": asUTC = "\(measure.value) at time zone 'UTC'"
            case "date": asUTC = "\(measure.value)::timestamp at time zone 'UTC'"
            default:
                throw ProjectError("\(measure.what) of source \(t.sourceName).\(t.name) is \(type.isEmpty ? "unknown" : type), not a timestamp",
                                   at: SourceLocation(file: t.path, line: t.line))
            }
            let iso = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"'"
            let sql = """
                with \(measure.cte)m as (
                    -- dbt reads an empty table (no max) as the earliest time there is: year 1, UTC.
                    select coalesce(\(asUTC), '0001-01-01 00:00:00+00'::timestamptz) as max_loaded_at, now() as snapshotted_at
                    \(measure.from))
                select to_char(max_loaded_at at time zone 'UTC', \(iso)), to_char(snapshotted_at at time zone 'UTC', \(iso)),
                       extract(epoch from snapshotted_at - max_loaded_at)::float8
                from m
                """
            r.sql = sql
            let row = try conn.execute(sql).rows.first ?? []
            r.snapshottedAt = row.count > 1 ? row[1].map(Self.trimMicros) : nil
            guard row.count == 3, let maxAt = row[0], let age = row[2].flatMap(Double.init) else {
                throw ProjectError("the freshness query of \(t.relation) returned no row", at: SourceLocation(file: t.path, line: t.line))
            }
            r.maxLoadedAt = Self.trimMicros(maxAt)
            r.ageSeconds = age
            r.status = criteria.status(age: age)
            if r.status != "pass" {
                let limit = r.status == "error" ? criteria.errorAfter! : criteria.warnAfter!
                let newest = maxAt.hasPrefix("0001-01-01")
                    ? "no rows\(measure.filtered ? " match the filter" : "") (read as loaded in year 1, like dbt)"
                    : "newest \(measure.what) is \(Self.duration(age)) old (\(r.maxLoadedAt!))"
                r.message = "\(newest): past \(r.status == "error" ? "error_after" : "warn_after") \(limit.count) \(limit.period.rawValue)\(limit.count == 1 ? "" : "s")"
            }
        } catch {
            _ = try? conn.execute("ROLLBACK")
            r.message = "\(error)"
        }
        r.completedAt = Date()
        return r
    }

    /// `…T10:00:00.000000+00:00` → `…T10:00:00+00:00` (Python's isoformat drops zero microseconds).
    static func trimMicros(_ s: String) -> String { s.replacingOccurrences(of: ".000000+", with: "+") }

    static func duration(_ s: Double) -> String {
        if s >= 86400 { return String(format: "%.1f days", s / 86400) }
        if s >= 3600 { return String(format: "%.1f hours", s / 3600) }
        if s >= 60 { return String(format: "%.1f minutes", s / 60) }
        return String(format: "%.0f seconds", s)
    }

    static func word(_ status: String) -> String {
        switch status {
        case "pass": return "PASS"
        case "warn": return "WARN"
        case "error": return "ERROR STALE"
        default: return "ERROR"
        }
    }

    /// `1 of 3 WARN freshness of core.sets .......... [WARN in 0.01s]`.
    static func line(_ r: Result, index: Int, total: Int) -> String {
        let w = word(r.status)
        let head = "\(index) of \(total) \(w) freshness of \(r.source.sourceName).\(r.source.name) "
        return Reporting.dotted(head, "[\(w) in \(Reporting.seconds(r.completedAt.timeIntervalSince(r.startedAt)))]")
    }

    private func nodeResult(_ r: Result) -> NodeResult {
        var n = NodeResult(uniqueId: r.source.uniqueId, status: r.status)
        n.message = r.message
        n.startedAt = r.startedAt
        n.completedAt = r.completedAt
        n.relationName = r.source.relation.qualified(in: r.source.database)
        n.compiledSQL = r.sql
        n.location = "\(r.source.path):\(r.source.line)"
        return n
    }

    /// `sources.json` (dbt's sources/v3 shape: the fields dbt tools read).
    private func write(_ results: [Result], elapsed: Double) throws {
        let items: [ConfigValue] = results.map { r in
            var pairs: [(String, ConfigValue)] = [
                ("unique_id", .string(r.source.uniqueId)),
                ("max_loaded_at", r.maxLoadedAt.map { .string($0) } ?? .null),
                ("snapshotted_at", r.snapshottedAt.map { .string($0) } ?? .null),
                ("max_loaded_at_time_ago_in_s", r.ageSeconds.map { .double($0) } ?? .null),
                ("status", .string(r.status)),
                ("criteria", r.source.freshness?.json ?? .null),
                ("adapter_response", .dict([("_message", .string("SELECT 1")), ("code", .string("SELECT")), ("rows_affected", .int(1))])),
                ("timing", .list([
                    .dict([("name", .string("compile")), ("started_at", .string(Artifacts.iso(r.startedAt))), ("completed_at", .string(Artifacts.iso(r.startedAt)))]),
                    .dict([("name", .string("execute")), ("started_at", .string(Artifacts.iso(r.startedAt))), ("completed_at", .string(Artifacts.iso(r.completedAt)))]),
                ])),
                ("thread_id", .string("Thread-1")),
                ("execution_time", .double(r.completedAt.timeIntervalSince(r.startedAt))),
            ]
            if r.status == "runtime error" {
                pairs = [("unique_id", .string(r.source.uniqueId)), ("error", .string(r.message)), ("status", .string(r.status))]
            }
            return .dict(pairs)
        }
        let doc = ConfigValue.dict([
            ("metadata", .dict([
                ("dbt_schema_version", .string("https://schemas.getdbt.com/dbt/sources/v3.json")),
                ("dbt_version", .string(Artifacts.version)), ("generated_at", .string(Artifacts.iso(Date()))),
                ("invocation_id", .string(UUID().uuidString.lowercased())), ("env", .dict([])),
            ])),
            ("results", .list(items)),
            ("elapsed_time", .double(elapsed)),
        ])
        let url: URL
        if let o = runner.options.freshnessOutput {
            url = URL(fileURLWithPath: o, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        } else {
            url = target.appendingPathComponent("sources.json")
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(JSON.encode(doc).utf8).write(to: url, options: .atomic)
    }
}
