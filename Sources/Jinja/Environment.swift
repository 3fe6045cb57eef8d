/// A parsed template, ready to render any number of times (thread-safe to share).
public final class Template: @unchecked Sendable {
    /// The name errors cite (usually the file path).
    public let name: String
    let body: [Node]

    init(name: String, body: [Node]) {
        self.name = name
        self.body = body
    }

    /// Names of the macros the template defines at its top level, in order.
    public var macroNames: [String] {
        body.compactMap { if case .macro(let m) = $0 { return m.name } else { return nil } }
    }
}

/// Host-provided filter: `value | name(args)`.
public typealias Filter = (Value, Arguments) throws -> Value
/// Host-provided test: `value is name(args)`.
public typealias Test = (Value, Arguments) throws -> Bool

/// Parses and renders templates with Jinja2 3.1's default settings (the ones dbt uses).
///
/// `globals` are visible to every template, after the render context; the runner puts dbt's context functions and
/// the macros of `macros/` and packages there. Lookups of globals happen at call time, so macros may refer to macros
/// added later. Do not mutate an environment while it renders.
public final class Environment: @unchecked Sendable {
    /// Names visible to every template (after the render context).
    public var globals: [String: Value] = [:]
    /// Extra filters, looked up before the built-in ones.
    public var filters: [String: Filter] = [:]
    /// Extra tests, looked up before the built-in ones.
    public var tests: [String: Test] = [:]
    /// Block tags parsed like `macro`, with the prefix their macro's name gets (dbt's `{% test x() %}` defines
    /// `test_x`): `["test": "test_"]`.
    public var macroTags: [String: String] = [:]

    public init() {
        globals["range"] = .function("range") { try Builtins.range($0) }
        globals["namespace"] = .function("namespace") { args in
            let ns = NamespaceObject()
            if let first = args.positional.first, case .dict(let d) = first {
                for (k, v) in d.entries { ns.values[k.pythonString] = v }
            }
            for (k, v) in args.keyword { ns.values[k] = v }
            return .object(ns)
        }
        globals["dict"] = .function("dict") { args in
            let d = DictBox()
            if let first = args.positional.first {
                guard case .dict(let src) = first else { throw JinjaError.runtime("dict() argument must be a mapping") }
                for (k, v) in src.entries { d[k] = v }
            }
            for (k, v) in args.keyword { d[string: k] = v }
            return .dict(d)
        }
        globals["lipsum"] = nil
    }

    /// Parses `source`; `name` is what errors cite.
    public func parse(_ source: String, name: String) throws -> Template {
        var lexer = Lexer(source: source, name: name)
        let tokens = try lexer.tokenize()
        var parser = Parser(tokens: tokens, name: name, macroTags: macroTags)
        return Template(name: name, body: try parser.parseTemplate())
    }

    /// Renders `template` with `context` (names looked up before `globals`).
    public func render(_ template: Template, context: [String: Value] = [:]) throws -> String {
        let r = Renderer(environment: self, templateName: template.name)
        let scope = Scope(vars: context, parent: nil)
        do {
            return try r.renderTop(template.body, scope: scope)
        } catch let s as ReturnSignal {
            _ = s
            throw JinjaError(.runtime, "return() called outside a macro", template: template.name, line: 1, column: 1)
        }
    }

    /// Parses and renders in one step.
    public func render(_ source: String, name: String, context: [String: Value] = [:]) throws -> String {
        try render(try parse(source, name: name), context: context)
    }

    /// The macros `template` defines at top level, as callables: a runner fills a macro namespace (`globals`, or a
    /// dict value such as `dbt_utils`) with them. The macros read names from `context`, then `globals`.
    public func macros(of template: Template, context: [String: Value] = [:]) -> [String: Value] {
        let scope = Scope(vars: context, parent: nil)
        var out: [String: Value] = [:]
        for node in template.body {
            if case .macro(let def) = node {
                out[def.name] = Renderer.macroValue(def, scope: scope, environment: self)
            }
        }
        return out
    }
}

/// A variable scope: a template's top level, a macro call, a loop body.
final class Scope {
    var vars: [String: Value]
    let parent: Scope?
    init(vars: [String: Value] = [:], parent: Scope?) {
        self.vars = vars
        self.parent = parent
    }

    /// An empty scope with room for `capacity` names (a macro call's parameters, `varargs`, `kwargs`, `caller`).
    init(parent: Scope?, capacity: Int) {
        vars = Dictionary(minimumCapacity: capacity)
        self.parent = parent
    }

    func lookup(_ name: String) -> Value? {
        var s: Scope? = self
        while let cur = s {
            if let v = cur.vars[name] { return v }
            s = cur.parent
        }
        return nil
    }
}

/// `namespace(...)`: an object whose attributes `{% set ns.x = ... %}` may assign from inner scopes.
final class NamespaceObject: JinjaObject {
    var values: [String: Value] = [:]
    func attribute(_ name: String) -> Value? { values[name] }
    var typeName: String { "Namespace" }
    var stringValue: String { "<Namespace " + values.keys.sorted().map { "\($0)=\(values[$0]!.pythonRepr)" }.joined(separator: ", ") + ">" }
    func setAttribute(_ name: String, _ value: Value) throws { values[name] = value }
}

/// The `loop` variable of a `for` loop.
final class LoopObject: JinjaObject {
    let items: [Value]
    var index0 = 0
    let depth: Int
    init(items: [Value], depth: Int) {
        self.items = items
        self.depth = depth
    }
    var typeName: String { "LoopContext" }
    var stringValue: String { "<LoopContext \(index0 + 1)/\(items.count)>" }
    func attribute(_ name: String) -> Value? {
        let n = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(n - index0)
        case "revindex0": return .int(n - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == n - 1)
        case "length": return .int(n)
        case "depth": return .int(depth)
        case "depth0": return .int(depth - 1)
        case "previtem": return index0 > 0 ? items[index0 - 1] : .undefined("there is no previous item")
        case "nextitem": return index0 + 1 < n ? items[index0 + 1] : .undefined("there is no next item")
        case "cycle":
            let i = index0
            return .function("cycle") { args in
                guard !args.positional.isEmpty else { throw JinjaError.runtime("no items for cycling given") }
                return args.positional[i % args.positional.count]
            }
        default: return nil
        }
    }
}
