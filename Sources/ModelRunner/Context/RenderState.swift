import Foundation
import Jinja
import PostgresClient

/// What one render of a template is doing, read by dbt's context functions (`ref`, `this`, `config`, …).
///
/// Macros see only the environment's globals, so node-specific names are globals that read the render state of the
/// current thread. A render sets its state for its duration (``RenderState/with(_:_:)``); renders nest (a
/// `generate_schema_name` call while loading) and restore the outer state.
final class RenderState {
    /// dbt's two passes: parse (`execute` false, collect refs/sources/config) or compile/run (`execute` true).
    enum Mode { case parse, compile }

    let mode: Mode
    /// The file rendered (errors of calls without a location cite it).
    let file: String
    /// The node rendered: the relation `this` names and the node's merged config, when there is one.
    var this: Relation?
    /// The node's name and resource type (`model.name`, `model.resource_type`).
    var nodeName: String?
    var resourceType = "model"
    /// The package of the node rendered (nil: the root project): its vars and its own macros' unqualified names.
    var package: String?
    var config = NodeConfig()
    var isIncremental = false
    var overrides = TemplateCompiler.Overrides()
    /// The connection introspection and `run_query` use (compile mode only; nil without a database).
    var connection: Connection?

    // Collected while parsing.
    var refs: [(name: String, package: String?)] = []
    var sources: [(source: String, table: String)] = []
    var configCalls: [(String, ConfigValue)] = []
    /// Ephemeral models referenced while compiling, in first-use order.
    var ephemerals: [String] = []
    /// `{% call statement(name) %}` results for `load_result(name)`.
    var statementResults: [String: Value] = [:]
    /// A ref name that should raise (used to find where a bad ref is written).
    var failOnRef: String?

    init(mode: Mode, file: String) {
        self.mode = mode
        self.file = file
    }

    private static let key = "fitdata.modelrunner.renderstate"

    /// The state of the render running on this thread.
    static var current: RenderState? {
        Thread.current.threadDictionary[key] as? RenderState
    }

    /// Runs `body` with `state` as the current render state.
    static func with<T>(_ state: RenderState, _ body: () throws -> T) rethrows -> T {
        let dict = Thread.current.threadDictionary
        let saved = dict[key]
        dict[key] = state
        defer { dict[key] = saved }
        return try body()
    }

    /// The current state, or an error naming `what` when called outside a node's render.
    static func require(_ what: String) throws -> RenderState {
        guard let s = current else { throw JinjaError.runtime("\(what) is only available while rendering a node") }
        return s
    }
}
