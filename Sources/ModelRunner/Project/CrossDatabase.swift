import Foundation

/// dbt-postgres' rule that a project lives in one database: a relation naming another database than the target's
/// `dbname` is an error (dbt-postgres' `verify_database`: "Cross-db references not allowed in postgres (a vs b)").
/// fitdata checks it while loading, for sources too, so the error names the .yml or model file instead of a
/// query failing at run time.
enum CrossDatabase {
    /// Throws unless `database` (quotes stripped, any case) is the target's.
    static func check(_ database: String, target: String, what: String, at location: SourceLocation) throws {
        var name = database
        if name.hasPrefix("\"") { name = name.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard name.lowercased() == target.lowercased() else {
            throw ProjectError("\(what): Cross-db references not allowed in postgres (\(name) vs \(target))", at: location)
        }
    }
}
