import Foundation
import PostgresClient

/// One ordered, versioned schema migration file (`sql/migrations/NNNN_name.sql`).
public struct Migration: Sendable {
    /// The numeric version from the file name.
    public let version: Int
    /// The descriptive part of the file name.
    public let name: String
    /// The SQL text.
    public let sql: String
    /// A checksum of the SQL text, to notice edits of applied migrations.
    public let checksum: String

    /// `NNNN_name`, as the file is named without its extension.
    public var label: String { String(format: "%04d_%@", version, name) }
    /// The file name, `NNNN_name.sql`.
    public var fileName: String { label + ".sql" }

    /// Reads all migrations in `directory`, sorted by version.
    public static func load(from directory: URL) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        var result: [Migration] = []
        for file in files {
            let stem = String(file.dropLast(4))
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw SchemaError.badMigrationName(file)
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            result.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]),
                                    sql: sql, checksum: fnv1a(sql)))
        }
        let versions = result.map(\.version)
        if Set(versions).count != versions.count { throw SchemaError.duplicateMigrationVersion }
        return result
    }

    /// The stored checksum of a migration's text: its FNV-1a hash in hex (no leading zeros).
    static func fnv1a(_ s: String) -> String { String(FNV1a.hash(s), radix: 16) }
}

/// Errors from `db init` / `db status`.
public enum SchemaError: Error, CustomStringConvertible {
    case badMigrationName(String)
    case duplicateMigrationVersion
    case missingExtensionScript(String)
    case migrationFailed(version: Int, name: String, underlying: Error)
    case migrationChanged(file: String, stored: String, current: String)
    case unknownAppliedMigration(version: Int)
    /// `db init --distributed` on a database without the citus extension.
    case notCitus

    /// True for errors in the files or their agreement with the database (exit 2), not in applying them.
    public var isConfiguration: Bool {
        if case .migrationFailed = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .badMigrationName(let f): return "migration file \(f) is not named NNNN_name.sql"
        case .duplicateMigrationVersion: return "two migration files share a version number"
        case .missingExtensionScript(let f): return "extension script \(f) not found"
        case .migrationFailed(let v, let n, let e): return "migration \(String(format: "%04d", v))_\(n).sql failed: \(e)"
        case .migrationChanged(let f, let stored, let current):
            return "migration \(f) was changed after it was applied (checksum \(stored) when applied, \(current) now): "
                + "restore the file and put the change in a new migration"
        case .notCitus:
            return "db init --distributed: the database has no citus extension (connect to a Citus coordinator, e.g. make citus-up; "
                + "or run db init without --distributed)"
        case .unknownAppliedMigration(let v):
            return "the database has migration \(String(format: "%04d", v)) applied, which sql/migrations does not hold: "
                + "this fitdata is older than the database"
        }
    }
}
