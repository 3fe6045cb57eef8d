import Crypto
import Foundation
import ModelRunner
import PostgresClient

/// What the marts are built from, each with a fingerprint: the declared source tables and the project's files.
///
/// A source's fingerprint is its row count and the sum of a 64-bit hash of every row's text
/// (`count(*)`, `sum(hashtextextended(t::text, 0))`): any committed insert, update or delete changes it (a change
/// keeping both equal would need a 64-bit hash collision), a rewrite with equal content does not. The project's is
/// the SHA-256 of every file's path and content under the project folder (`target/`, `logs/`, `dbt_packages/` and
/// hidden files left out).
struct BuildInputs {
    /// `project`, the key of the project's fingerprint.
    static let projectKey = "project"

    /// `source:<source>.<table>` → the table, for every declared source.
    let sources: [(key: String, selector: String, relation: Relation)]

    init(project: Project) {
        sources = project.sources.values
            .filter { !ChangeLog.bookkeepingKeys.contains("source:\($0.sourceName).\($0.name)") }
            .map { ("source:\($0.sourceName).\($0.name)", "source:\($0.sourceName).\($0.name)+", $0.relation) }
            .sorted { $0.0 < $1.0 }
    }

    /// Fingerprints of the sources whose keys are in `keys` (all when nil); the tables present are read in one
    /// statement (one snapshot); a table missing from the database is `absent`.
    /// The tables in `captured` (change capture in `core.change_log`) are skipped.
    func fingerprints(_ connection: Connection, keys: Set<String>? = nil, captured: Set<String> = []) throws -> [String: String] {
        var result: [String: String] = [:]
        var present: [(key: String, relation: Relation)] = []
        for s in sources where (keys?.contains(s.key) ?? true) && !captured.contains(s.key) {
            if try connection.query("SELECT to_regclass($1::text) IS NOT NULL", [s.relation.quoted]).scalar == "t" {
                present.append((s.key, s.relation))
            } else {
                result[s.key] = "absent"
            }
        }
        guard !present.isEmpty else { return result }
        let sql = present.map { s in
            "SELECT \(Connection.quoteLiteral(s.key)), count(*)::text || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0)::text FROM \(s.relation.quoted) AS t"
        }.joined(separator: "\nUNION ALL\n")
        for row in try connection.query(sql).rows { if let k = row[0] { result[k] = row[1] ?? "" } }
        return result
    }

    /// The fingerprints stored by the last pipeline whose build and tests passed.
    static func stored(_ connection: Connection) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try connection.query("SELECT input, fingerprint FROM meta.pipeline_built_inputs").rows {
            if let k = row[0] { out[k] = row[1] ?? "" }
        }
        return out
    }

    /// Records `fingerprints` as built by `runID`, in one transaction.
    static func record(_ fingerprints: [String: String], runID: Int64, on connection: Connection) throws {
        guard !fingerprints.isEmpty else { return }
        try connection.transaction {
            for (k, v) in fingerprints.sorted(by: { $0.key < $1.key }) {
                try connection.query("""
                    INSERT INTO meta.pipeline_built_inputs (input, fingerprint, run_id) VALUES ($1, $2, $3)
                    ON CONFLICT (input) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, run_id = EXCLUDED.run_id, built_at = now()
                    """, [k, v, runID])
            }
        }
    }

    /// SHA-256 over the project's files (sorted relative paths and contents).
    static func projectFingerprint(_ projectDir: URL, excluding excluded: [URL] = []) throws -> String {
        let root = projectDir.standardizedFileURL.resolvingSymlinksInPath()
        let skipped = Set(["target", "logs", "dbt_packages"].map { root.appendingPathComponent($0).path }
                          + excluded.map { $0.standardizedFileURL.resolvingSymlinksInPath().path })
        var files: [String] = []
        var stack = [root]
        while let dir = stack.popLast() {
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where !name.hasPrefix(".") {
                let url = dir.appendingPathComponent(name)
                if skipped.contains(url.path) { continue }
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { continue }
                if isDir.boolValue { stack.append(url) } else { files.append(String(url.path.dropFirst(root.path.count + 1))) }
            }
        }
        var hasher = SHA256()
        for rel in files.sorted() {
            let content = try Data(contentsOf: root.appendingPathComponent(rel))
            hasher.update(data: Data(rel.utf8) + Data([0]) + Data(SHA256.hash(data: content)) + Data([0x0A]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
