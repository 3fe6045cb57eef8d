/// Iteration, attribute and item access, slicing and `range()`, with Jinja's undefined rules.
enum Builtins {
    /// The items a `for` loop (or unpacking, with `strict`) walks: list and tuple items, dict keys, string characters.
    static func iterate(_ v: Value, strict: Bool = false) throws -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .dict(let d): return d.entries.map(\.key)
        case .string(let s): return s.map { .string(String($0)) }
        case .undefined(let why):
            if strict { throw JinjaError.undefined(why) }
            return []
        default: throw JinjaError.runtime("'\(v.typeName)' object is not iterable")
        }
    }

    static func typeRepr(_ v: Value) -> String {
        if case .none = v { return "'None'" }
        return "'\(v.typeName) object'"
    }

    /// `obj.name`: a method or attribute first, then an item (Jinja's `getattr`).
    static func attribute(_ obj: Value, _ name: String) throws -> Value {
        switch obj {
        case .undefined(let why): throw JinjaError.undefined(why)
        case .dict(let d):
            if let m = Methods.dict(d, name) { return m }
            if let v = d[string: name] { return v }
        case .list(let l):
            if let m = Methods.list(l, name) { return m }
        case .string(let s):
            if let m = Methods.string(s, name) { return m }
        case .object(let o):
            if let v = o.attribute(name) { return v }
        default: break
        }
        return .undefined("\(typeRepr(obj)) has no attribute '\(name)'")
    }

    /// `obj[key]`: an item first, then an attribute for string keys (Jinja's `getitem`).
    static func item(_ obj: Value, _ key: Value) throws -> Value {
        switch obj {
        case .undefined(let why): throw JinjaError.undefined(why)
        case .dict(let d):
            if let v = d[key] { return v }
        case .list(let l):
            if let v = try index(l.items, key) { return v }
        case .tuple(let t):
            if let v = try index(t, key) { return v }
        case .string(let s):
            if case .int = key, let v = try index(s.map { .string(String($0)) }, key) { return v }
        default: break
        }
        if case .string(let name) = key {
            let v = try attribute(obj, name)
            if case .undefined = v {} else { return v }
            return .undefined("\(typeRepr(obj)) has no attribute '\(name)'")
        }
        return .undefined("\(typeRepr(obj)) has no element \(key.pythonRepr)")
    }

    private static func index(_ items: [Value], _ key: Value) throws -> Value? {
        guard let n = Operators.number(key), case .int(var i) = n else {
            if case .string = key { return nil }
            throw JinjaError.runtime("indices must be integers or slices, not \(key.typeName)")
        }
        if i < 0 { i += items.count }
        return i >= 0 && i < items.count ? items[i] : nil
    }

    /// `obj[start:stop:step]` on lists, tuples and strings.
    static func slice(_ obj: Value, _ start: Value?, _ stop: Value?, _ step: Value?) throws -> Value {
        func int(_ v: Value?) throws -> Int? {
            guard let v else { return nil }
            if case .none = v { return nil }
            guard case .int(let i)? = Operators.number(v) else { throw JinjaError.runtime("slice indices must be integers or None") }
            return i
        }
        let st = try int(step) ?? 1
        if st == 0 { throw JinjaError.runtime("slice step cannot be zero") }
        func pick(_ items: [Value]) throws -> [Value] {
            let n = items.count
            func clamp(_ v: Int?, _ dflt: Int) -> Int {
                guard var x = v else { return dflt }
                if x < 0 { x += n }
                return st > 0 ? min(max(x, 0), n) : min(max(x, -1), n - 1)
            }
            let a = clamp(try int(start), st > 0 ? 0 : n - 1)
            let b = clamp(try int(stop), st > 0 ? n : -1)
            var out: [Value] = []
            var i = a
            while st > 0 ? i < b : i > b { out.append(items[i]); i += st }
            return out
        }
        switch obj {
        case .list(let l): return .list(ListBox(try pick(l.items)))
        case .tuple(let t): return .tuple(try pick(t))
        case .string(let s): return .string(try pick(s.map { .string(String($0)) }).map { $0.pythonString }.joined())
        case .undefined(let why): throw JinjaError.undefined(why)
        default: throw JinjaError.runtime("'\(obj.typeName)' object is not subscriptable")
        }
    }

    /// Python's `range()` as a list.
    static func range(_ args: Arguments) throws -> Value {
        var nums: [Int] = []
        for v in args.positional {
            guard case .int(let i)? = Operators.number(v) else { throw JinjaError.runtime("'\(v.typeName)' object cannot be interpreted as an integer") }
            nums.append(i)
        }
        let (a, b, s): (Int, Int, Int)
        switch nums.count {
        case 1: (a, b, s) = (0, nums[0], 1)
        case 2: (a, b, s) = (nums[0], nums[1], 1)
        case 3: (a, b, s) = (nums[0], nums[1], nums[2])
        default: throw JinjaError.runtime("range expected 1 to 3 arguments, got \(nums.count)")
        }
        if s == 0 { throw JinjaError.runtime("range() arg 3 must not be zero") }
        var out: [Value] = []
        var i = a
        while s > 0 ? i < b : i > b {
            out.append(.int(i))
            if out.count > 100_000 { throw JinjaError.runtime("range too big, maximum size for range is 100000") }
            i += s
        }
        return .list(ListBox(out))
    }
}
