import Foundation
import Jinja

/// The macro namespaces of one environment, with dbt's lookup rules:
///
/// - unqualified names: the root project's macros, then dbt's built-ins (a root macro overrides a built-in one);
/// - `package.macro`: `dbt.x`, `<root project name>.x`, `<package>.x`;
/// - a package's own macros call each other unqualified (its names come before the root's and the built-ins');
/// - `adapter.dispatch(name, namespace)`: see ``dispatch(_:namespace:)``.
final class MacroScopes {
    let library: MacroLibrary
    private(set) var namespaces: [String: MacroNamespace] = [:]
    /// Unqualified names: root project over built-ins.
    private(set) var unqualified: [String: Value] = [:]
    /// For each package, its own macros by unqualified name (what its nodes' templates see before the globals).
    private var packageNames: [String: [String: Value]] = [:]
    /// ``dispatch(_:namespace:)`` answers found so far (renders run on several threads).
    private var dispatchCache: [DispatchKey: Value] = [:]
    private let dispatchLock = NSLock()

    /// Creates the macro values of every package for `env` and puts the namespaces into its globals.
    init(library: MacroLibrary, environment env: Environment) {
        self.library = library
        var builtin: [String: Value] = [:]
        var root: [String: Value] = [:]
        for package in library.packages {
            let ns = MacroNamespace(package: package.name)
            var context: [String: Value] = [:]
            if package.kind == .dependency {
                // The package's own names, resolved at call time through its namespace.
                for t in package.templates {
                    for name in t.macroNames {
                        context[name] = .function(name) { [weak ns] args in
                            guard let m = ns?.macros[name] else { throw JinjaError.undefined("'\(name)' is undefined") }
                            if case .callable(let c) = m { return try c.call(args) }
                            throw JinjaError.runtime("'\(name)' is not callable")
                        }
                    }
                }
            }
            for t in package.templates {
                for (name, value) in env.macros(of: t, context: context) { ns.macros[name] = value }
            }
            if package.kind == .dependency { packageNames[package.name] = context }
            namespaces[package.name] = ns
            switch package.kind {
            case .builtin: builtin.merge(ns.macros) { _, new in new }
            case .root: root.merge(ns.macros) { _, new in new }
            case .dependency: break
            }
        }
        unqualified = builtin.merging(root) { _, r in r }
        for (name, v) in unqualified { env.globals[name] = v }
        for (name, ns) in namespaces { env.globals[name] = .object(ns) }
    }

    /// The names a template of `package`'s own nodes sees before the globals: the package's macros (none for the root).
    func localNames(of package: String?) -> [String: Value] {
        package.flatMap { packageNames[$0] } ?? [:]
    }

    /// A macro looked up in `package` (nil: unqualified, as a root-project node sees it).
    func macro(_ name: String, in package: String?) -> Value? {
        guard let package else { return unqualified[name] }
        return namespaces[package]?.macros[name]
    }

    /// dbt's `adapter.dispatch(name, macro_namespace)`: the packages of the `dispatch:` search order for the namespace
    /// (or the root project then the namespace, for an installed package; or unqualified lookup), and in each
    /// `postgres__name` then `default__name`.
    ///
    /// Found macros are cached by namespace and name: the scopes never change once built (every macro of the
    /// project and its packages is loaded before the first render), so neither does the answer.
    func dispatch(_ name: String, namespace: String?) throws -> Value {
        let key = DispatchKey(name: name, namespace: namespace)
        dispatchLock.lock()
        let cached = dispatchCache[key]
        dispatchLock.unlock()
        if let cached { return cached }
        let found = try resolveDispatch(name, namespace: namespace)
        dispatchLock.lock()
        dispatchCache[key] = found
        dispatchLock.unlock()
        return found
    }

    private struct DispatchKey: Hashable {
        let name: String
        let namespace: String?
    }

    /// The search of ``dispatch(_:namespace:)``, uncached.
    private func resolveDispatch(_ name: String, namespace: String?) throws -> Value {
        var search: [String?] = [nil]
        if let namespace {
            if let order = library.dispatchOrder[namespace], !order.isEmpty {
                search = order
            } else if library.packages.contains(where: { $0.name == namespace && $0.kind == .dependency }) {
                search = [library.rootName, namespace]
            }
        }
        var tried: [String] = []
        for package in search {
            for prefix in ["postgres", "default"] {
                let candidate = "\(prefix)__\(name)"
                tried.append(package.map { "\($0).\(candidate)" } ?? candidate)
                if let m = macro(candidate, in: package) { return m }
            }
        }
        throw JinjaError.runtime("In dispatch: No macro named '\(name)' found within namespace: '\(namespace ?? "None")'\n    Searched for: \(tried.map { "'\($0)'" }.joined(separator: ", "))")
    }
}
