import Foundation

extension ProjectLoader {
    /// Reads the `{% snapshot %}` blocks of one file under a snapshot path of the root project or of `package`.
    func loadSnapshotFile(_ rel: String, snapshotDir: String, project: Project, package: String? = nil) throws {
        let data = try readFile(rel)
        let text = String(decoding: data, as: UTF8.self)
        let inner = String(rel.dropFirst(snapshotDir.count + 1))
        let folders = inner.split(separator: "/").dropLast().map(String.init)
        for block in try SnapshotFiles.blocks(in: text, file: rel) {
            if let existing = project.snapshots[block.name] {
                throw ProjectError("two snapshots named '\(block.name)': \(existing.path) and \(rel)", at: block.tag)
            }
            let template = try EmbeddedTemplate.parse(block.body, file: rel, line: block.bodyLine, column: block.bodyColumn, name: block.name,
                                                      project: project, package: package)
            let owner = package ?? project.name
            project.snapshots[block.name] = Snapshot(
                name: block.name, package: package, uniqueId: "snapshot.\(owner).\(block.name)", path: rel,
                fqn: [owner] + folders + [inner.split(separator: "/").last.map { (String($0) as NSString).deletingPathExtension } ?? block.name, block.name],
                rawSQL: block.body, checksum: sha256Hex(data), template: template, location: block.tag)
        }
    }

    /// Merges each snapshot's config (dbt_project.yml `snapshots:` < `.yml` `config:` < `{{ config() }}`; a package's
    /// snapshot takes its own project's tree first and the root's last), checks it, and sets its relation:
    /// `target_schema` (legacy, as written), else dbt's `generate_schema_name` / `generate_alias_name`.
    func resolveSnapshots(_ project: Project, trees: inout FolderConfigTrees, packages: [PackageScope] = []) throws {
        var resolved: [String: Snapshot] = [:]
        for (name, var s) in project.snapshots {
            if let clash = project.models[name]?.path ?? project.seeds[name]?.path {
                throw ProjectError("snapshot '\(name)' has the same name as \(clash)", at: s.location)
            }
            var cfg = NodeConfig()
            cfg.apply([("materialized", .string("snapshot"))])
            let package = s.package.flatMap { name in packages.first { $0.name == name } }
            cfg.apply(package?.trees.snapshots(for: s.fqn) ?? trees.snapshots(for: s.fqn))
            cfg.apply(s.propertiesConfig)
            cfg.apply(s.template.config)
            if package != nil { cfg.apply(trees.snapshots(for: s.fqn)) }
            s.config = cfg
            guard cfg.enabled else { continue }
            for (k, _) in s.template.config where !SnapshotConfig.knownKeys.contains(NodeConfig.canonicalKey(k)) && !Self.knownConfigKeys.contains(k) {
                warnings.warn("snapshot \(name): unknown config key `\(k)` ignored", at: s.location)
            }
            _ = try SnapshotConfig(cfg, snapshot: name, at: s.location)
            try cfg.checkHooks(what: "snapshot \(name)", at: s.location)
            if let db = cfg["target_database"]?.stringValue {
                try CrossDatabase.check(db, target: project.jinja.target.database, what: "snapshot \(name)", at: s.location)
            }
            if let exact = cfg["target_schema"]?.stringValue {
                // The legacy `target_schema` is the schema as written (dbt does not pass it to generate_schema_name).
                s.relation = Relation(schema: exact, name: cfg.alias ?? name)
            } else {
                s.relation = try RelationNaming(jinja: project.jinja, targetSchema: targetSchema)
                    .relation(name: name, resourceType: "snapshot", uniqueId: s.uniqueId, fqn: s.fqn, path: s.path, config: cfg, at: s.location)
            }
            resolved[name] = s
        }
        project.snapshots = resolved
    }

    /// Where a top-level key of dbt_project.yml is written (for errors in `on-run-start` and the like).
    static func topKeyLocation(_ text: String, _ key: String) -> SourceLocation {
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.hasPrefix(key + ":") {
            return SourceLocation(file: "dbt_project.yml", line: i + 1)
        }
        return SourceLocation(file: "dbt_project.yml", line: 1)
    }
}
