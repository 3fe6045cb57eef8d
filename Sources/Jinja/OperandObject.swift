/// A host object with Python's operators, such as the `datetime` module's values: `a + b`, `a - b`, `-a`, `a == b`,
/// `a < b`. The engine asks it only when the operands are not numbers, strings or containers it handles itself.
public protocol OperandJinjaObject: JinjaObject {
    /// `self op other`, or `other op self` when `reflected`; nil when the pair is unsupported (Python's TypeError).
    func binary(_ op: String, _ other: Value, reflected: Bool) throws -> Value?
    /// `-self`, `+self`; nil when unsupported.
    func unary(_ op: String) throws -> Value?
    /// Python `==` with any value.
    func equals(_ other: Value) -> Bool
    /// `self < other` (or `other < self` when `reflected`); nil when the pair is unorderable.
    func less(_ other: Value, reflected: Bool) throws -> Bool?
}

/// A host object whose `repr()` (inside lists, dicts and tuples) differs from its `str()`, like Python's
/// `datetime.date(2024, 1, 31)` printing `2024-01-31`.
public protocol ReprJinjaObject: JinjaObject {
    /// Python's `repr()`.
    var reprValue: String { get }
}

extension Operators {
    /// `a op b` when either operand is an ``OperandJinjaObject``; nil when neither is or neither supports it.
    static func objectBinary(_ op: String, _ a: Value, _ b: Value) throws -> Value? {
        if case .object(let o as any OperandJinjaObject) = a, let r = try o.binary(op, b, reflected: false) { return r }
        if case .object(let o as any OperandJinjaObject) = b, let r = try o.binary(op, a, reflected: true) { return r }
        return nil
    }

    /// `a == b` when either operand is an ``OperandJinjaObject``.
    static func objectEqual(_ a: Value, _ b: Value) -> Bool? {
        if case .object(let o as any OperandJinjaObject) = a { return o.equals(b) }
        if case .object(let o as any OperandJinjaObject) = b { return o.equals(a) }
        return nil
    }

    /// `a < b` when either operand is an ``OperandJinjaObject`` that can order the pair.
    static func objectLess(_ a: Value, _ b: Value) throws -> Bool? {
        if case .object(let o as any OperandJinjaObject) = a, let r = try o.less(b, reflected: false) { return r }
        if case .object(let o as any OperandJinjaObject) = b, let r = try o.less(a, reflected: true) { return r }
        return nil
    }
}
