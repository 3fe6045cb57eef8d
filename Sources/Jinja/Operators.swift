/// Python's arithmetic, comparison and equality on Jinja values.
enum Operators {
    /// A number view of a value: ints (and bools) stay exact, floats are doubles.
    enum Number { case int(Int), double(Double) }

    static func number(_ v: Value) -> Number? {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d): return .double(d)
        default: return nil
        }
    }

    static func double(_ n: Number) -> Double { switch n { case .int(let i): return Double(i); case .double(let d): return d } }

    static func undefinedError(_ v: Value) -> JinjaError? {
        if case .undefined(let why) = v { return JinjaError.undefined(why) }
        return nil
    }

    static func unsupported(_ op: String, _ a: Value, _ b: Value) -> JinjaError {
        if let e = undefinedError(a) ?? undefinedError(b) { return e }
        return JinjaError.runtime("unsupported operand type(s) for \(op): '\(a.typeName)' and '\(b.typeName)'")
    }

    static func unary(_ op: String, _ v: Value) throws -> Value {
        if let e = undefinedError(v) { throw e }
        if case .object(let o as any OperandJinjaObject) = v, let r = try o.unary(op) { return r }
        guard let n = number(v) else { throw JinjaError.runtime("bad operand type for unary \(op): '\(v.typeName)'") }
        if op == "+" { switch n { case .int(let i): return .int(i); case .double(let d): return .double(d) } }
        switch n {
        case .int(let i): return .int(-i)
        case .double(let d): return .double(-d)
        }
    }

    static func checked(_ r: (Int, Bool)) throws -> Value {
        if r.1 { throw JinjaError.runtime("integer overflow") }
        return .int(r.0)
    }

    static func binary(_ op: String, _ a: Value, _ b: Value) throws -> Value {
        if let na = number(a), let nb = number(b) { return try arithmetic(op, na, nb, a, b) }
        switch (op, a, b) {
        case ("+", .string(let x), .string(let y)): return .string(x + y)
        case ("+", .list(let x), .list(let y)): return .list(ListBox(x.items + y.items))
        case ("+", .tuple(let x), .tuple(let y)): return .tuple(x + y)
        case ("*", .string(let s), _):
            guard case .int(let n)? = number(b) else { throw unsupported(op, a, b) }
            return .string(String(repeating: s, count: max(0, n)))
        case ("*", _, .string(let s)):
            guard case .int(let n)? = number(a) else { throw unsupported(op, a, b) }
            return .string(String(repeating: s, count: max(0, n)))
        case ("*", .list(let l), _):
            guard case .int(let n)? = number(b) else { throw unsupported(op, a, b) }
            return .list(ListBox(Array(repeating: l.items, count: max(0, n)).flatMap { $0 }))
        case ("%", .string, _):
            throw JinjaError.runtime("printf-style '%' string formatting is not supported; use '~' or format()")
        case (_, .object, _), (_, _, .object):
            if let r = try objectBinary(op, a, b) { return r }
            throw unsupported(op, a, b)
        default: throw unsupported(op, a, b)
        }
    }

    private static func arithmetic(_ op: String, _ x: Number, _ y: Number, _ a: Value, _ b: Value) throws -> Value {
        if case .int(let i) = x, case .int(let j) = y {
            switch op {
            case "+": return try checked(i.addingReportingOverflow(j))
            case "-": return try checked(i.subtractingReportingOverflow(j))
            case "*": return try checked(i.multipliedReportingOverflow(by: j))
            case "/":
                if j == 0 { throw JinjaError.runtime("division by zero") }
                return .double(Double(i) / Double(j))
            case "//":
                if j == 0 { throw JinjaError.runtime("integer division or modulo by zero") }
                var q = i / j
                if (i % j != 0) && ((i < 0) != (j < 0)) { q -= 1 }
                return .int(q)
            case "%":
                if j == 0 { throw JinjaError.runtime("integer division or modulo by zero") }
                let r = i % j
                return .int(r != 0 && ((r < 0) != (j < 0)) ? r + j : r)
            case "**":
                if j < 0 { return .double(pow(Double(i), Double(j))) }
                var result = 1, base = i, e = j
                while e > 0 {
                    if e & 1 == 1 { result = try checkedInt(result.multipliedReportingOverflow(by: base)) }
                    e >>= 1
                    if e > 0 { base = try checkedInt(base.multipliedReportingOverflow(by: base)) }
                }
                return .int(result)
            default: break
            }
        }
        let p = double(x), q = double(y)
        switch op {
        case "+": return .double(p + q)
        case "-": return .double(p - q)
        case "*": return .double(p * q)
        case "/":
            if q == 0 { throw JinjaError.runtime("float division by zero") }
            return .double(p / q)
        case "//":
            if q == 0 { throw JinjaError.runtime("float floor division by zero") }
            return .double((p / q).rounded(.down))
        case "%":
            if q == 0 { throw JinjaError.runtime("float modulo") }
            let r = p.truncatingRemainder(dividingBy: q)
            return .double(r != 0 && ((r < 0) != (q < 0)) ? r + q : r)
        case "**": return .double(pow(p, q))
        default: throw unsupported(op, a, b)
        }
    }

    private static func checkedInt(_ r: (Int, Bool)) throws -> Int {
        if r.1 { throw JinjaError.runtime("integer overflow") }
        return r.0
    }

    /// Python `==`.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = number(a), let y = number(b) {
            if case .int(let i) = x, case .int(let j) = y { return i == j }
            return double(x) == double(y)
        }
        switch (a, b) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)): return x === y || (x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { equal($0, $1) })
        case (.tuple(let x), .tuple(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.dict(let x), .dict(let y)):
            if x === y { return true }
            guard x.count == y.count else { return false }
            for (k, v) in x.entries {
                guard let w = y[k], equal(v, w) else { return false }
            }
            return true
        case (.callable(let x), .callable(let y)): return x === y
        case (.object(let x), .object(let y)): return objectEqual(a, b) ?? (x === y)
        case (.object, _), (_, .object): return objectEqual(a, b) ?? false
        default: return false
        }
    }

    /// Python `<`, throwing for unorderable types.
    static func less(_ a: Value, _ b: Value) throws -> Bool {
        if let x = number(a), let y = number(b) {
            if case .int(let i) = x, case .int(let j) = y { return i < j }
            return double(x) < double(y)
        }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
        case (.list(let x), .list(let y)): return try sequenceLess(x.items, y.items)
        case (.tuple(let x), .tuple(let y)): return try sequenceLess(x, y)
        default:
            if let e = undefinedError(a) ?? undefinedError(b) { throw e }
            if let r = try objectLess(a, b) { return r }
            throw JinjaError.runtime("'<' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    private static func sequenceLess(_ x: [Value], _ y: [Value]) throws -> Bool {
        for (p, q) in zip(x, y) where !equal(p, q) { return try less(p, q) }
        return x.count < y.count
    }

    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else {
                if let e = undefinedError(item) { throw e }
                throw JinjaError.runtime("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return sub.isEmpty || s.contains(sub)
        case .list(let l): return l.items.contains { equal($0, item) }
        case .tuple(let t): return t.contains { equal($0, item) }
        case .dict(let d): return d[item] != nil
        case .undefined: return false
        default: throw JinjaError.runtime("argument of type '\(container.typeName)' is not iterable")
        }
    }

    static func compare(_ op: String, _ a: Value, _ b: Value) throws -> Bool {
        switch op {
        case "==": return equal(a, b)
        case "!=": return !equal(a, b)
        case "<": return try less(a, b)
        case ">": return try less(b, a)
        case "<=":
            do { return try less(a, b) || equal(a, b) } catch { throw JinjaError.runtime("'<=' not supported between instances of '\(a.typeName)' and '\(b.typeName)'") }
        case ">=":
            do { return try less(b, a) || equal(a, b) } catch { throw JinjaError.runtime("'>=' not supported between instances of '\(a.typeName)' and '\(b.typeName)'") }
        case "in": return try contains(b, a)
        case "notin": return !(try contains(b, a))
        default: throw JinjaError.runtime("unknown comparison \(op)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
