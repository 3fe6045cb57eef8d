import Foundation
import Jinja
import PostgresClient

/// The runner's Jinja: one parse environment (`execute` false) and one compile environment (`execute` true), both
/// holding dbt's context and every macro of the project, built once per project load.
///
/// Node-specific names (`this`, `config`, `ref` results, `is_incremental()`) read the ``RenderState`` of the
/// render running on the calling thread, so the environments never change while nodes render in parallel.
public final class DbtJinja: @unchecked Sendable {
    let projectName: String
    /// dbt_project.yml vars (Jinja in them rendered once loaded) with `--vars` over them.
    var vars: ConfigValue
    /// The vars each package's nodes see (dbt's scoping: the package's vars, then the root project's, then `--vars`);
    /// the root project's nodes see `vars`.
    var packageVars: [String: ConfigValue] = [:]
    /// `{% docs %}` blocks of the project's `.md` files, for `doc(name)`.
    var docs: [String: String] = [:]
    let target: TargetInfo
    let fullRefresh: Bool
    let which: String
    let invocationID = UUID().uuidString.lowercased()
    let runStartedAt = Date()
    let parseEnv = Environment()
    let compileEnv = Environment()
    private(set) var parseMacros: MacroScopes!
    private(set) var compileMacros: MacroScopes!
    let library: MacroLibrary
    /// Set once the project is loaded: compile-mode `ref`/`source` resolve against it.
    weak var project: Project?
    /// Where `log()` and `print()` go.
    let log: @Sendable (String) -> Void
    /// Opens a connection for introspection when a render needs one and its node has none (`fitdata compile`).
    var connect: (@Sendable () throws -> Connection)?
    private let connectionLock = NSLock()
    private var sharedConnection: Connection?

    /// Loads the macros under `root` and builds both environments; parse errors of macro files go to `errors`.
    init(root: URL, projectName: String, macroPaths: [String], packages: [PackageProject], dispatch: ConfigValue?, vars: ConfigValue,
         target: TargetInfo, fullRefresh: Bool, which: String, log: @escaping @Sendable (String) -> Void,
         errors: inout [ProjectError]) {
        self.projectName = projectName
        self.vars = vars
        self.target = target
        self.fullRefresh = fullRefresh
        self.which = which
        self.log = log
        parseEnv.macroTags = MacroLibrary.macroTags
        compileEnv.macroTags = MacroLibrary.macroTags
        library = MacroLibrary.load(root: root, rootName: projectName, macroPaths: macroPaths, packages: packages, dispatch: dispatch,
                                    environment: parseEnv, errors: &errors)
        installContext(into: parseEnv, execute: false)
        installContext(into: compileEnv, execute: true)
        parseMacros = MacroScopes(library: library, environment: parseEnv)
        compileMacros = MacroScopes(library: library, environment: compileEnv)
    }

    deinit { sharedConnection?.close() }

    /// The vars a node of `package` sees (nil: the root project).
    func vars(for package: String?) -> ConfigValue { package.flatMap { packageVars[$0] } ?? vars }

    /// Parses a template file once (models, tests, analyses, YAML values).
    func parse(_ source: String, file: String) throws -> Template {
        do { return try parseEnv.parse(source, name: file) } catch let e as JinjaError { throw located(e, file) }
    }

    /// Renders `template` in dbt's parse mode with `state` (refs, sources and `config()` calls are recorded on it).
    func parseRender(_ template: Template, state: RenderState) throws {
        _ = try render(template, in: parseEnv, state: state)
    }

    /// Renders `template` in compile mode with `state`: the SQL.
    func compileRender(_ template: Template, state: RenderState) throws -> String {
        try render(template, in: compileEnv, state: state)
    }

    /// Renders a template string with the dbt context of `state` in compile mode (hooks, snapshot bodies):
    /// `file` is what errors cite.
    public func renderString(_ source: String, file: String, this: Relation?, config: NodeConfig = NodeConfig(),
                             isIncremental: Bool = false, connection: Connection? = nil, package: String? = nil) throws -> String {
        let state = RenderState(mode: .compile, file: file)
        state.package = package
        state.this = this
        state.isIncremental = isIncremental
        state.config = config
        state.connection = connection
        return try compileRender(try parse(source, file: file), state: state)
    }

    /// Calls a macro by unqualified name in compile mode (e.g. `generate_schema_name`), returning its output.
    func callMacro(_ name: String, _ args: [Value], state: RenderState) throws -> Value? {
        try callMacro(name, namespace: nil, positional: args, state: state)
    }

    /// Calls macro `name` of `namespace` (nil: unqualified) in compile mode with `state`; nil when it does not exist.
    func callMacro(_ name: String, namespace: String?, positional: [Value] = [], keyword: [(String, Value)] = [],
                   state: RenderState) throws -> Value? {
        guard let m = compileMacros.macro(name, in: namespace), case .callable(let c) = m else { return nil }
        do {
            return try RenderState.with(state) { try c.call(Arguments(positional: positional, keyword: keyword)) }
        } catch let e as JinjaError { throw located(e, state.file) }
    }

    private func render(_ template: Template, in env: Environment, state: RenderState) throws -> String {
        do {
            let scopes = env === parseEnv ? parseMacros : compileMacros
            return try RenderState.with(state) { try env.render(template, context: scopes?.localNames(of: state.package) ?? [:]) }
        } catch let e as JinjaError {
            throw located(e, state.file)
        }
    }

    /// A Jinja error as a project error at `file:line:column`, secrets redacted.
    func located(_ e: JinjaError, _ file: String) -> ProjectError {
        var pe = e.projectError(file: file)
        pe.message = Secrets.redact(pe.message)
        return pe
    }

    /// The connection introspection uses: the node's, else one opened on first need.
    func connection(for state: RenderState) throws -> Connection {
        if let c = state.connection { return c }
        connectionLock.lock()
        defer { connectionLock.unlock() }
        if let c = sharedConnection { return c }
        guard let connect else {
            throw JinjaError.runtime("this needs a database connection (introspection or run_query), and none is available")
        }
        let c = try connect()
        sharedConnection = c
        return c
    }
}

/// `DBT_ENV_SECRET_*` values: never printed in errors or logs.
enum Secrets {
    static let prefix = "DBT_ENV_SECRET_"

    /// `text` with the value of every `DBT_ENV_SECRET_*` environment variable replaced by `*****`.
    static func redact(_ text: String) -> String {
        var out = text
        for (k, v) in ProcessInfo.processInfo.environment where k.hasPrefix(prefix) && !v.isEmpty {
            out = out.replacingOccurrences(of: v, with: "*****")
        }
        return out
    }
}
