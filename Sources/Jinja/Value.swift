/// A Jinja value: what templates compute with and what the host passes in a context.
///
/// Lists and dicts are reference types (`ListBox`, `DictBox`) so `.append()`/`.update()` mutate in place the way they
/// do in Python; tuples are immutable arrays.
public enum Value: @unchecked Sendable {
    /// A name that is not defined (Jinja's default `Undefined`); the payload says what was looked up, for errors.
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list(ListBox)
    case tuple([Value])
    case dict(DictBox)
    /// A function implemented in Swift, or a macro.
    case callable(Callable)
    /// A host object whose attributes templates read (`target.name`, `loop.index`).
    case object(any JinjaObject)

    /// A list value holding `items`.
    public static func array(_ items: [Value]) -> Value { .list(ListBox(items)) }
    /// A dict value holding `pairs` in order.
    public static func dictionary(_ pairs: [(String, Value)]) -> Value {
        let d = DictBox(minimumCapacity: pairs.count)
        for (k, v) in pairs { d[.string(k)] = v }
        return .dict(d)
    }
    /// A callable implemented in Swift.
    public static func function(_ name: String, _ body: @escaping (Arguments) throws -> Value) -> Value {
        .callable(Callable(name: name, body: body))
    }

    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count > 0
        case .callable, .object: return true
        }
    }

    /// Whether the value is defined.
    public var isDefined: Bool { if case .undefined = self { return false } else { return true } }

    /// The string payload, if a string.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// Python's type name, for error messages.
    public var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .callable(let c): return c.isMacro ? "Macro" : "function"
        case .object(let o): return o.typeName
        }
    }
}

/// A mutable list shared by reference.
public final class ListBox {
    public var items: [Value]
    public init(_ items: [Value] = []) { self.items = items }
}

/// A key of a Jinja dict: Python's hashable scalars.
public enum DictKey: Hashable {
    case none, bool(Bool), int(Int), double(Double), string(String)
    /// A ``HashableJinjaObject``: its type name and ``HashableJinjaObject/hashKey``.
    case object(String, String)

    init?(_ v: Value) {
        switch v {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .double(let d): self = d == d.rounded() && abs(d) < 9e18 ? .int(Int(d)) : .double(d)
        case .string(let s): self = .string(s)
        case .object(let o):
            guard let h = o as? any HashableJinjaObject else { return nil }
            self = .object(h.typeName, h.hashKey)
        default: return nil
        }
    }
}

/// A mutable, insertion-ordered dict shared by reference (Python's dict).
public final class DictBox {
    private(set) var keys: [Value] = []
    private var values: [Value] = []
    private var index: [DictKey: Int] = [:]

    public init() {}

    /// An empty dict with room for `count` entries.
    public init(minimumCapacity count: Int) {
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        index.reserveCapacity(count)
    }

    /// The number of entries.
    public var count: Int { keys.count }

    /// The entry for `key`, nil when absent or unhashable.
    public subscript(key: Value) -> Value? {
        get { DictKey(key).flatMap { index[$0] }.map { values[$0] } }
        set {
            guard let k = DictKey(key) else { return }
            if let nv = newValue {
                // One hash for a new key (the common case); a key already there keeps its place.
                if let i = index.updateValue(keys.count, forKey: k) {
                    index[k] = i
                    values[i] = nv
                } else {
                    keys.append(key)
                    values.append(nv)
                }
            } else if let i = index[k] {
                remove(at: i)
            }
        }
    }

    /// The entry for a string key.
    public subscript(string key: String) -> Value? {
        get { self[.string(key)] }
        set { self[.string(key)] = newValue }
    }

    /// Entries in insertion order.
    public var entries: [(key: Value, value: Value)] { zip(keys, values).map { (key: $0.0, value: $0.1) } }

    /// The values in insertion order.
    public var orderedValues: [Value] { values }

    /// Whether `key` is unhashable (a list or dict as key is a TypeError in Python).
    static func isHashable(_ key: Value) -> Bool { DictKey(key) != nil }

    private func remove(at i: Int) {
        keys.remove(at: i)
        values.remove(at: i)
        index = [:]
        for (j, k) in keys.enumerated() { index[DictKey(k)!] = j }
    }

    /// A shallow copy.
    public func copy() -> DictBox {
        let d = DictBox()
        d.keys = keys; d.values = values; d.index = index
        return d
    }
}

/// Arguments of a call: positional, then keyword in the order written.
public struct Arguments {
    public var positional: [Value]
    public var keyword: [(String, Value)]
    /// The `{% call %}` block's body when a Swift callable is invoked from a call block (nil otherwise).
    public var caller: Value?

    public init(positional: [Value] = [], keyword: [(String, Value)] = [], caller: Value? = nil) {
        self.positional = positional
        self.keyword = keyword
        self.caller = caller
    }

    /// The argument at `position`, or the keyword `name`, or nil.
    public func value(_ position: Int, _ name: String) -> Value? {
        if position < positional.count { return positional[position] }
        return keyword.last(where: { $0.0 == name })?.1
    }

    /// Throws when more than `count` positional arguments or a keyword outside `names` was passed.
    public func check(_ function: String, max count: Int, names: [String]) throws {
        if positional.count > count { throw JinjaError.runtime("\(function)() takes at most \(count) positional argument(s), \(positional.count) given") }
        for (k, _) in keyword where !names.contains(k) { throw JinjaError.runtime("\(function)() got an unexpected keyword argument '\(k)'") }
    }
}

/// A function templates can call: implemented in Swift, or a macro of a template.
public final class Callable {
    /// The name shown in errors.
    public let name: String
    let body: (Arguments) throws -> Value
    /// Set for macros (so `caller` checks and repr follow Jinja's).
    let isMacro: Bool

    public init(name: String, body: @escaping (Arguments) throws -> Value) {
        self.name = name
        self.body = body
        self.isMacro = false
    }

    init(macro name: String, body: @escaping (Arguments) throws -> Value) {
        self.name = name
        self.body = body
        self.isMacro = true
    }

    /// Calls the function.
    public func call(_ args: Arguments) throws -> Value { try body(args) }
}

/// A host object with attributes (e.g. dbt's `target`, `this`, `adapter`).
public protocol JinjaObject: AnyObject {
    /// The attribute `name`, or nil when there is none (then it is undefined).
    func attribute(_ name: String) -> Value?
    /// Python's type name, used in messages.
    var typeName: String { get }
    /// How `{{ obj }}` prints.
    var stringValue: String { get }
    /// Sets an attribute (`{% set ns.x = 1 %}`); objects that do not allow it throw.
    func setAttribute(_ name: String, _ value: Value) throws
}

extension JinjaObject {
    public var typeName: String { "object" }
    public var stringValue: String { "<\(typeName) object>" }
    public func setAttribute(_ name: String, _ value: Value) throws {
        throw JinjaError.runtime("cannot assign attribute '\(name)' on \(typeName)")
    }
}

/// A host object that templates can also call, like dbt's `config(...)` that has `config.get(...)` too.
public protocol CallableJinjaObject: JinjaObject {
    /// Calls the object.
    func call(_ args: Arguments) throws -> Value
}

/// A host object that the `mapping` test accepts (dbt's relations are mappings: `obj is mapping and obj.get(...)`).
public protocol MappingJinjaObject: JinjaObject {}

/// A host object usable as a dict key, equal to another of its type with the same ``hashKey`` (Python's value-hashed
/// objects, such as dbt's relations).
public protocol HashableJinjaObject: JinjaObject {
    /// The value identity: objects of one type with equal keys are the same dict key.
    var hashKey: String { get }
}

/// The error a Swift callable throws to end the macro that called it with a value: dbt's `return(...)`.
public struct ReturnSignal: Error {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
