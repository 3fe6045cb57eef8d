import Foundation
import PostgresClient

/// A schema-qualified relation in the database.
public struct Relation: Sendable, Hashable, CustomStringConvertible {
    public var schema: String
    public var name: String

    public init(schema: String, name: String) {
        self.schema = schema
        self.name = name
    }

    /// `"schema"."name"`, quoted for SQL.
    public var quoted: String { Self.quote(schema) + "." + Self.quote(name) }

    /// Same result as `Connection.quoteIdentifier`, without a string search-and-replace in the common case.
    static func quote(_ s: String) -> String {
        s.utf8.contains(UInt8(ascii: "\"")) ? Connection.quoteIdentifier(s) : "\"" + s + "\""
    }
    /// `"database"."schema"."name"`: how dbt-postgres names the relation (compiled SQL, `relation_name` in artifacts).
    public func qualified(in database: String) -> String { Self.quote(database) + "." + quoted }

    /// `schema.name`, for people.
    public var description: String { "\(schema).\(name)" }
}

/// How a model becomes a database object.
public enum Materialization: String, Sendable, CaseIterable {
    case view, table, incremental, ephemeral
}

/// A documented column from a properties `.yml`.
public struct ColumnDoc: Sendable {
    public var name: String
    public var description: String
    public var dataType: String?
}

/// An index from `config(indexes=[{'columns': [...], 'unique': true}])`.
public struct IndexSpec: Sendable, Equatable {
    public var columns: [String]
    public var unique: Bool
    public var type: String?
}

/// Merged configuration of one node (project folders, then .yml `config:`, then `{{ config() }}`).
public struct NodeConfig: Sendable {
    /// The merged key/value pairs, in first-seen order, for the manifest.
    public var values: [(String, ConfigValue)] = []

    public init() {}

    public subscript(key: String) -> ConfigValue? {
        values.last(where: { $0.0 == key })?.1
    }

    /// Applies `pairs` over the current values; `tags` and hooks accumulate, `meta` merges, everything else replaces.
    public mutating func apply(_ pairs: [(String, ConfigValue)]) {
        for (rawKey, value) in pairs {
            let key = Self.canonicalKey(rawKey)
            if let i = values.firstIndex(where: { $0.0 == key }) {
                switch key {
                case "tags":
                    var tags = values[i].1.stringList
                    for t in value.stringList where !tags.contains(t) { tags.append(t) }
                    values[i].1 = .list(tags.map { .string($0) })
                case "pre-hook", "post-hook":
                    values[i].1 = .list(Self.hookItems(values[i].1) + Self.hookItems(value))
                case "meta":
                    values[i].1 = values[i].1.merged(with: value)
                default:
                    values[i].1 = value
                }
            } else {
                switch key {
                case "tags": values.append((key, .list(value.stringList.map { .string($0) })))
                case "pre-hook", "post-hook": values.append((key, .list(Self.hookItems(value))))
                default: values.append((key, value))
                }
            }
        }
    }

    /// The key a config is stored under: without a leading `+`, and `pre_hook`/`post_hook` spelled as dbt_project.yml
    /// spells them (`pre-hook`/`post-hook`), so hooks from every level land in one list.
    public static func canonicalKey(_ rawKey: String) -> String {
        let key = rawKey.hasPrefix("+") ? String(rawKey.dropFirst()) : rawKey
        switch key {
        case "pre_hook": return "pre-hook"
        case "post_hook": return "post-hook"
        default: return key
        }
    }

    /// Keys whose values add up across levels (project folders, `.yml`, `config()`) instead of replacing each other.
    public static func accumulates(_ rawKey: String) -> Bool {
        ["tags", "pre-hook", "post-hook"].contains(canonicalKey(rawKey))
    }

    /// A hook config (one SQL string, a `{sql:, transaction:}` mapping, or a list of them) as a list of items.
    static func hookItems(_ v: ConfigValue) -> [ConfigValue] {
        switch v {
        case .list(let l): return l
        case .null: return []
        default: return [v]
        }
    }

    public var materialized: String { self["materialized"]?.stringValue ?? "view" }
    public var tags: [String] { self["tags"]?.stringList ?? [] }
    public var schema: String? { self["schema"]?.stringValue }
    public var alias: String? { self["alias"]?.stringValue }
    public var enabled: Bool { self["enabled"]?.boolValue ?? true }
    public var uniqueKey: [String] { self["unique_key"]?.stringList ?? [] }

    public var indexes: [IndexSpec] {
        (self["indexes"]?.listValue ?? []).compactMap { item in
            guard let cols = item["columns"]?.stringList, !cols.isEmpty else { return nil }
            return IndexSpec(columns: cols, unique: item["unique"]?.boolValue ?? false, type: item["type"]?.stringValue)
        }
    }

    /// `grants: {select: [role, …]}` as privilege → roles.
    public var grants: [(String, [String])] {
        (self["grants"]?.dictValue ?? []).map { ($0.0, $0.1.stringList) }
    }

    public var persistRelationDocs: Bool { self["persist_docs"]?["relation"]?.boolValue ?? false }
    public var persistColumnDocs: Bool { self["persist_docs"]?["columns"]?.boolValue ?? false }
    public var severity: String { (self["severity"]?.stringValue ?? "error").lowercased() }
}

/// An SQL model file.
public struct Model: Sendable {
    public var name: String
    /// The package under `dbt_packages/` it comes from; nil for the root project's own models.
    public var package: String? = nil
    public var uniqueId: String
    /// Path relative to the project directory, e.g. `models/marts/fct_sets.sql`.
    public var path: String
    /// Path relative to its model-path folder, e.g. `marts/fct_sets.sql`.
    public var relativePath: String
    public var fqn: [String]
    public var rawSQL: String
    public var checksum: String
    var template: ParsedTemplate
    public var config = NodeConfig()
    public var description = ""
    public var columns: [ColumnDoc] = []
    /// The `.yml` that documents it, if any.
    public var patchPath: String?
    /// Set once configuration is merged.
    public var relation = Relation(schema: "public", name: "")
    /// A package model's config from the root project's dbt_project.yml (`models: <package>: …`): applied last, over
    /// the package's own config, its `.yml` and its `config()`, as dbt does.
    var rootProjectConfig: [(String, ConfigValue)] = []

    public var materialization: Materialization { Materialization(rawValue: config.materialized) ?? .view }
}

/// An analysis (`analyses/*.sql`): compiled by `fitdata compile`, never run.
public struct Analysis: Sendable {
    public var name: String
    /// Path relative to the project directory.
    public var path: String
    var template: ParsedTemplate
    /// The package it comes from; nil for the root project's.
    public var package: String? = nil
}

/// A table declared under `sources:`.
public struct SourceTable: Sendable {
    public var sourceName: String
    /// The package whose properties declare it; nil for the root project.
    public var package: String? = nil
    public var name: String
    public var uniqueId: String
    /// The source's `database:` as rendered, else the target's `dbname` (always the target's database, up to case and
    /// quotes: ``CrossDatabase``).
    public var database: String
    public var relation: Relation
    public var description: String
    public var columns: [ColumnDoc]
    public var path: String
    public var line: Int
    /// `loaded_at_field` or `loaded_at_query` (the table's, else the source's): what `source freshness` measures.
    public var loadedAt: LoadedAt?
    /// The freshness criteria (source-level merged with table-level); nil when none are set or `freshness: null`.
    public var freshness: FreshnessCriteria?
}

/// A CSV seed.
public struct Seed: Sendable {
    public var name: String
    /// The package under `dbt_packages/` it comes from; nil for the root project's own seeds.
    public var package: String? = nil
    public var uniqueId: String
    public var path: String
    public var fqn: [String]
    public var checksum: String
    public var config = NodeConfig()
    public var description = ""
    public var columns: [ColumnDoc] = []
    public var relation = Relation(schema: "public", name: "")
    public var patchPath: String?
    /// A package seed's config from the root project's dbt_project.yml, applied last (see ``Model``).
    var rootProjectConfig: [(String, ConfigValue)] = []
}

/// Which generic test a `.yml` entry names.
public enum GenericTestKind: String, Sendable {
    case unique, notNull = "not_null", acceptedValues = "accepted_values", relationships
}

/// A relation named in a properties file: `ref('model')` or `source('source', 'table')`.
public enum RelationReference: Sendable, Equatable {
    case ref(String)
    case source(String, String)
}

/// A data test: a query whose returned rows are failures.
public struct DataTest: Sendable {
    enum Body: Sendable {
        /// A generic test on a model/seed/source column.
        case generic(kind: GenericTestKind, column: String, arguments: ConfigValue, target: String, relatedTarget: RelationReference?)
        /// A `tests/*.sql` file.
        case singular(template: ParsedTemplate)
        /// A generic test implemented by a `{% test name(model, ...) %}` macro of the project, a package or dbt
        /// (`namespace` is the package of `package.name` in the .yml); `refs`/`sources` are those its arguments name.
        case macro(namespace: String?, name: String, column: String?, arguments: ConfigValue, target: String,
                   refs: [String], sources: [RelationReference])

    }

    public var name: String
    public var uniqueId: String
    var body: Body
    public var config = NodeConfig()
    /// The `.yml` (generic) or `.sql` (singular) file and line that define it.
    public var location: SourceLocation
    /// The node it is attached to (the model a column test sits under); nil for singular tests.
    public var attachedTo: String?
    public var fileChecksum: String
}

/// An input of a unit test: which relation it replaces and the fixed rows.
public struct UnitTestInput: Sendable {
    public enum Target: Sendable, Equatable {
        case ref(String)
        case source(String, String)
        case this
    }
    public var target: Target
    public var rows: [[(String, ConfigValue)]]
}

/// A dbt-style unit test of one model (`unit_tests:` in a properties `.yml`).
public struct UnitTest: Sendable {
    public var name: String
    public var uniqueId: String
    public var model: String
    public var given: [UnitTestInput]
    public var expect: [[(String, ConfigValue)]]
    public var overrideVars: ConfigValue
    public var overrideIncremental: Bool?
    public var location: SourceLocation
    public var description: String
    public var config = NodeConfig()
    public var checksum: String
}

/// A snapshot: a query whose rows are recorded as slowly changing history (dbt's type-2 SCD columns).
public struct Snapshot: Sendable {
    public var name: String
    /// The package it comes from; nil for the root project's.
    public var package: String? = nil
    public var uniqueId: String
    /// The `.sql` file with the `{% snapshot %}` block, or the `.yml` that defines it with `relation:`.
    public var path: String
    public var fqn: [String]
    /// The snapshot's select (the block's body, or `select * from {{ relation }}` for the YAML form).
    public var rawSQL: String
    public var checksum: String
    var template: ParsedTemplate
    /// Where the definition starts (the `{% snapshot %}` tag or the `.yml` entry).
    public var location: SourceLocation
    /// `config:` from a `.yml` entry (merged in between dbt_project.yml and `{{ config() }}`).
    public var propertiesConfig: [(String, ConfigValue)] = []
    public var config = NodeConfig()
    public var description = ""
    public var columns: [ColumnDoc] = []
    public var patchPath: String?
    /// Set once configuration is merged.
    public var relation = Relation(schema: "public", name: "")
}
