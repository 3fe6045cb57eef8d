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

    /// The thread-specific slot holding the current render's state (unretained: ``with(_:_:)`` keeps it alive).
    ///
    /// A pthread key rather than `Thread.current.threadDictionary`: every `ref`, `this`, `config` and macro call reads
    /// it, and the dictionary's bridging and casts cost more than the rest of a small model's render.
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        precondition(pthread_key_create(&k, nil) == 0, "pthread_key_create failed")
        return k
    }()

    /// The state of the render running on this thread.
    static var current: RenderState? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<RenderState>.fromOpaque(p).takeUnretainedValue()
    }

    /// Runs `body` with `state` as the current render state.
    static func with<T>(_ state: RenderState, _ body: () throws -> T) rethrows -> T {
        let saved = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(state).toOpaque())
        defer { pthread_setspecific(key, saved) }
        return try withExtendedLifetime(state) { try body() }
    }

    /// The current state, or an error naming `what` when called outside a node's render.
    static func require(_ what: String) throws -> RenderState {
        guard let s = current else { throw JinjaError.runtime("\(what) is only available while rendering a node") }
        return s
    }
}
