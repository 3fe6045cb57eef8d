import Foundation
import PostgresClient

/// Creates and upgrades the database objects: the `fitness` functions and the versioned migrations.
public struct SchemaManager {
    /// How the fitness functions were installed.
    public enum ExtensionMode: String, Sendable { case `extension`, plainSQL = "plain_sql" }

    /// What `db init` did.
    public struct InitReport: Sendable {
        public var appliedMigrations: [String] = []
        public var extensionMode: ExtensionMode = .extension
        public var extensionVersion: String = ""
        public var extensionAction: String = "unchanged"
    }

    /// One line of `db status`.
    public struct StatusLine: Sendable {
        public let component: String
        public let version: String
        public let appliedAt: String
    }

    let connection: Connection
    let sqlDirectory: URL
    /// Lock key shared by every `db init`, so two never interleave.
    static let lockKey: Int64 = 0x6669_7464_6174_61   // "fitdata"

    public init(connection: Connection, sqlDirectory: URL) {
        self.connection = connection
        self.sqlDirectory = sqlDirectory
    }

    /// Creates what is missing; idempotent. With `useExtension` false, never tries `CREATE EXTENSION`.
    public func initialize(useExtension: Bool = true) throws -> InitReport {
        try connection.withAdvisoryLock(Self.lockKey, timeout: 60) {
            var report = InitReport()
            try bootstrap()
            let migrations = try Migration.load(from: sqlDirectory.appendingPathComponent("migrations"))
            let applied = try appliedChecksums()
            try Self.verify(applied: applied, against: migrations)
            try installFitness(useExtension: useExtension, report: &report)
            try applyMigrations(migrations, skipping: Set(applied.keys), report: &report)
            return report
        }
    }

    private func bootstrap() throws {
        try connection.execute("""
            CREATE SCHEMA IF NOT EXISTS meta;
            CREATE TABLE IF NOT EXISTS meta.schema_migrations (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE IF NOT EXISTS meta.plain_extensions (
                name        text PRIMARY KEY,
                version     text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            );
            """)
    }

    private func installFitness(useExtension: Bool, report: inout InitReport) throws {
        let scripts = try ExtensionScripts(directory: sqlDirectory)
        let target = scripts.defaultVersion
        report.extensionVersion = target
        let plainVersion = try connection.query(
            "SELECT version FROM meta.plain_extensions WHERE name = $1", [ExtensionScripts.name]).scalar
        let extVersion = try connection.query(
            "SELECT extversion FROM pg_extension WHERE extname = $1", [ExtensionScripts.name]).scalar

        if let extVersion {
            report.extensionMode = .extension
            if extVersion != target {
                try connection.execute("ALTER EXTENSION \(ExtensionScripts.name) UPDATE TO \(Connection.quoteLiteral(target))")
                report.extensionAction = "updated \(extVersion) → \(target)"
            }
            return
        }
        if plainVersion == nil, useExtension {
            do {
                try connection.transaction {
                    try connection.execute("CREATE EXTENSION IF NOT EXISTS \(ExtensionScripts.name) VERSION \(Connection.quoteLiteral(target))")
                }
                report.extensionMode = .extension
                report.extensionAction = "created (CREATE EXTENSION)"
                return
            } catch let PostgresClientError.server(e) where ["58P01", "42501", "0A000", "22023"].contains(e.sqlstate) {
                // not installed on the server, or not allowed (managed PostgreSQL): fall back to plain SQL
            }
        }
        report.extensionMode = .plainSQL
        try connection.transaction {
            if let plainVersion {
                guard plainVersion != target else { return }
                guard let chain = try scripts.plainUpgradePath(from: plainVersion, to: target) else {
                    throw SchemaError.missingExtensionScript("fitness--\(plainVersion)--…--\(target).sql")
                }
                for script in chain { try connection.execute(script) }
                report.extensionAction = "updated \(plainVersion) → \(target) (plain SQL)"
            } else {
                try connection.execute("CREATE SCHEMA IF NOT EXISTS \(ExtensionScripts.schema)")
                try connection.execute(try scripts.plainInstallScript(version: target))
                report.extensionAction = "created (plain SQL)"
            }
            try connection.query("""
                INSERT INTO meta.plain_extensions (name, version) VALUES ($1, $2)
                ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, applied_at = now()
                """, [ExtensionScripts.name, target])
        }
    }

    /// The checksum stored for each applied migration, by version.
    private func appliedChecksums() throws -> [Int: String] {
        var result: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM meta.schema_migrations").rows {
            if let v = row[0].flatMap(Int.init) { result[v] = row[1] ?? "" }
        }
        return result
    }

    /// Fails when an applied migration's file changed since it was applied, or is missing from `migrations`.
    ///
    /// A migration runs once; editing its file afterwards would leave databases initialized before and
    /// after the edit with different schemas under the same version, so the edit is refused, not ignored.
    static func verify(applied: [Int: String], against migrations: [Migration]) throws {
        let byVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, stored) in applied.sorted(by: { $0.key < $1.key }) {
            guard let m = byVersion[version] else { throw SchemaError.unknownAppliedMigration(version: version) }
            if m.checksum != stored { throw SchemaError.migrationChanged(file: m.fileName, stored: stored, current: m.checksum) }
        }
    }

    private func applyMigrations(_ migrations: [Migration], skipping applied: Set<Int>, report: inout InitReport) throws {
        for m in migrations where !applied.contains(m.version) {
            do {
                try connection.transaction {
                    try connection.execute(m.sql)
                    try connection.query("INSERT INTO meta.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                                         [m.version, m.name, m.checksum])
                }
            } catch {
                throw SchemaError.migrationFailed(version: m.version, name: m.name, underlying: error)
            }
            report.appliedMigrations.append(m.label)
        }
    }

    /// The applied migrations and the fitness version, oldest first. Empty when `db init` never ran.
    public func status() throws -> [StatusLine] {
        let exists = try connection.query("SELECT to_regclass('meta.schema_migrations') IS NOT NULL").scalar == "t"
        guard exists else { return [] }
        var lines: [StatusLine] = []
        if let v = try connection.query("SELECT extversion FROM pg_extension WHERE extname = $1", [ExtensionScripts.name]).scalar {
            lines.append(StatusLine(component: "extension fitness", version: v, appliedAt: "(CREATE EXTENSION)"))
        }
        for row in try connection.query("SELECT name, version, applied_at FROM meta.plain_extensions ORDER BY name").rows {
            lines.append(StatusLine(component: "\(row[0] ?? "") (plain SQL)", version: row[1] ?? "", appliedAt: row[2] ?? ""))
        }
        for row in try connection.query("SELECT version, name, applied_at FROM meta.schema_migrations ORDER BY version").rows {
            lines.append(StatusLine(component: "migration \(row[1] ?? "")", version: row[0] ?? "", appliedAt: row[2] ?? ""))
        }
        return lines
    }

    /// Checks that every applied migration's file is present and unchanged (see ``verify(applied:against:)``).
    public func verifyAppliedMigrations() throws {
        let exists = try connection.query("SELECT to_regclass('meta.schema_migrations') IS NOT NULL").scalar == "t"
        guard exists else { return }
        try Self.verify(applied: try appliedChecksums(),
                        against: try Migration.load(from: sqlDirectory.appendingPathComponent("migrations")))
    }

    /// Migrations present in `sql/migrations` but not applied yet.
    public func pendingMigrations() throws -> [Migration] {
        let all = try Migration.load(from: sqlDirectory.appendingPathComponent("migrations"))
        let exists = try connection.query("SELECT to_regclass('meta.schema_migrations') IS NOT NULL").scalar == "t"
        guard exists else { return all }
        let applied = Set(try connection.query("SELECT version FROM meta.schema_migrations").rows.compactMap { $0[0].flatMap(Int.init) })
        return all.filter { !applied.contains($0.version) }
    }
}
