import Foundation
import Jinja
import PostgresClient

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

    /// The target for a libpq conninfo or URL (`postgresql://user@host:port/db` or `key=value …`), as libpq reads
    /// it (``ConninfoOptions``): what the string leaves out comes from the `PG*` environment variables, and the
    /// database defaults to the user name, as libpq connects.
    public init(conninfo: String, schema: String, threads: Int, name: String = "dev") {
        let env = ProcessInfo.processInfo.environment
        let fields = ConninfoOptions.resolved(conninfo) ?? [:]
        self.init()
        self.name = name
        self.schema = schema
        self.threads = threads
        user = fields["user"] ?? env["PGUSER"] ?? env["USER"] ?? ""
        host = fields["host"] ?? fields["hostaddr"] ?? "localhost"
        port = Int(fields["port"] ?? "") ?? 5432
        database = fields["dbname"] ?? user
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
