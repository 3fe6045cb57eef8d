import Foundation
import Jinja

/// dbt's `target`: the connection profile a run builds into.
public struct TargetInfo: Sendable {
    public var name = "dev"
    public var schema = "public"
    public var database = "postgres"
    public var user = ""
    public var host = "localhost"
    public var port = 5432
    public var threads = 1
    public var profileName = ""

    public init() {}

    /// The target for a libpq conninfo or URL (`postgresql://user@host:port/db` or `key=value …`), falling back to
    /// libpq's `PG*` environment variables and defaults.
    public init(conninfo: String, schema: String, threads: Int, name: String = "dev") {
        let env = ProcessInfo.processInfo.environment
        var fields: [String: String] = [:]
        if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://"), let u = URLComponents(string: conninfo) {
            fields["user"] = u.user
            fields["host"] = u.host
            fields["port"] = u.port.map(String.init)
            let db = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
            if !db.isEmpty { fields["dbname"] = db }
            for q in u.queryItems ?? [] { if let v = q.value { fields[q.name] = v } }
        } else {
            for part in conninfo.split(separator: " ") {
                let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { fields[kv[0]] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
            }
        }
        self.init()
        self.name = name
        self.schema = schema
        self.threads = threads
        user = fields["user"] ?? env["PGUSER"] ?? env["USER"] ?? ""
        host = fields["host"].flatMap { $0.isEmpty ? nil : $0 } ?? env["PGHOST"] ?? "localhost"
        port = Int(fields["port"] ?? env["PGPORT"] ?? "") ?? 5432
        database = fields["dbname"] ?? env["PGDATABASE"] ?? user
    }

    /// The `target` object templates read.
    var object: Value {
        .object(AttributeObject(typeName: "Target", [
            ("name", .string(name)), ("type", .string("postgres")), ("schema", .string(schema)),
            ("database", .string(database)), ("dbname", .string(database)), ("user", .string(user)),
            ("host", .string(host)), ("port", .int(port)), ("threads", .int(threads)),
            ("profile_name", .string(profileName)), ("target_name", .string(name)),
        ]))
    }
}

/// A read-only object with fixed attributes (`target`, `flags`, `exceptions`, `modules`).
final class AttributeObject: JinjaObject {
    let typeName: String
    let values: [String: Value]
    init(typeName: String, _ pairs: [(String, Value)]) {
        self.typeName = typeName
        self.values = Dictionary(pairs, uniquingKeysWith: { _, b in b })
    }
    func attribute(_ name: String) -> Value? { values[name] }
    var stringValue: String { "<\(typeName)>" }
}
