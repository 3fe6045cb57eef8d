import Foundation

/// A model's `pre_hook` / `post_hook` statements (dbt's config keys, also spelled `pre-hook` / `post-hook`).
///
/// Each hook is a template rendered like the model itself (`{{ this }}`, `ref`, `source`, `var`,
/// `{% if is_incremental() %}`); hooks that render to nothing are dropped. The runner sends them in the
/// model's own message, before and after its statements, so they commit or roll back with the model
/// (dbt's default `transaction: true`).
enum Hooks {
    enum Kind: String {
        case pre, post
        var keys: [String] { ["\(rawValue)_hook", "\(rawValue)-hook"] }
    }

    /// The rendered, non-empty statements of the model's `kind` hooks, in configuration order.
    static func render(_ kind: Kind, of model: Model, compiler: TemplateCompiler, vars: ConfigValue, isIncremental: Bool) throws -> [String] {
        var out: [String] = []
        for key in kind.keys {
            guard let value = model.config[key] else { continue }
            let entries: [ConfigValue]
            switch value {
            case .null: entries = []
            case .list(let l): entries = l
            default: entries = [value]
            }
            for (i, entry) in entries.enumerated() {
                guard case .string(let text) = entry else {
                    throw ProjectError("model \(model.name): \(key) entry \(i + 1) is not a SQL string (only strings are supported)",
                                       at: SourceLocation(file: model.path, line: 1))
                }
                let template = try TemplateParser.parse(text, file: "\(model.path) (\(key))", vars: vars)
                let sql = try compiler.compile(template: template, this: model.relation, isIncremental: isIncremental,
                                               overrides: .init())
                if !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(sql) }
            }
        }
        return out
    }
}
