/// The Python methods of dicts, lists and strings that dbt code calls (`d.items()`, `l.append(x)`, `s.split(',')`).
enum Methods {
    private static func method(_ name: String, _ body: @escaping (Arguments) throws -> Value) -> Value { .function(name, body) }

    private static func argString(_ args: Arguments, _ i: Int, _ name: String, _ method: String) throws -> String? {
        guard let v = args.value(i, name) else { return nil }
        if case .none = v { return nil }
        guard case .string(let s) = v else { throw JinjaError.runtime("\(method)() argument must be str, not \(v.typeName)") }
        return s
    }

    static func dict(_ d: DictBox, _ name: String) -> Value? {
        switch name {
        case "items": return method(name) { _ in .list(ListBox(d.entries.map { .tuple([$0.key, $0.value]) })) }
        case "keys": return method(name) { _ in .list(ListBox(d.entries.map(\.key))) }
        case "values": return method(name) { _ in .list(ListBox(d.orderedValues)) }
        case "get": return method(name) { args in
            guard let k = args.value(0, "key") else { throw JinjaError.runtime("get expected at least 1 argument, got 0") }
            return d[k] ?? args.value(1, "default") ?? .none
        }
        case "update": return method(name) { args in
            if let first = args.positional.first {
                switch first {
                case .dict(let other): for (k, v) in other.entries { d[k] = v }
                default:
                    for pair in try Builtins.iterate(first, strict: true) {
                        let kv = try Builtins.iterate(pair, strict: true)
                        guard kv.count == 2 else { throw JinjaError.runtime("dictionary update sequence element has length \(kv.count); 2 is required") }
                        d[kv[0]] = kv[1]
                    }
                }
            }
            for (k, v) in args.keyword { d[string: k] = v }
            return .none
        }
        case "pop": return method(name) { args in
            guard let k = args.value(0, "key") else { throw JinjaError.runtime("pop expected at least 1 argument, got 0") }
            if let v = d[k] { d[k] = nil; return v }
            if let dflt = args.value(1, "default") { return dflt }
            throw JinjaError.runtime("KeyError: \(k.pythonRepr)")
        }
        case "setdefault": return method(name) { args in
            guard let k = args.value(0, "key") else { throw JinjaError.runtime("setdefault expected at least 1 argument, got 0") }
            if let v = d[k] { return v }
            let v = args.value(1, "default") ?? .none
            d[k] = v
            return v
        }
        case "copy": return method(name) { _ in .dict(d.copy()) }
        default: return nil
        }
    }

    static func list(_ l: ListBox, _ name: String) -> Value? {
        switch name {
        case "append": return method(name) { args in
            guard args.positional.count == 1 else { throw JinjaError.runtime("list.append() takes exactly one argument (\(args.positional.count) given)") }
            l.items.append(args.positional[0])
            return .none
        }
        case "extend": return method(name) { args in
            guard let v = args.positional.first else { throw JinjaError.runtime("list.extend() takes exactly one argument (0 given)") }
            l.items.append(contentsOf: try Builtins.iterate(v, strict: true))
            return .none
        }
        case "insert": return method(name) { args in
            guard args.positional.count == 2, case .int(var i)? = Operators.number(args.positional[0]) else {
                throw JinjaError.runtime("insert expected 2 arguments (an index and a value)")
            }
            if i < 0 { i = max(0, i + l.items.count) }
            l.items.insert(args.positional[1], at: min(i, l.items.count))
            return .none
        }
        case "pop": return method(name) { args in
            if l.items.isEmpty { throw JinjaError.runtime("pop from empty list") }
            var i = l.items.count - 1
            if let v = args.positional.first {
                guard case .int(let n)? = Operators.number(v) else { throw JinjaError.runtime("list indices must be integers") }
                i = n < 0 ? n + l.items.count : n
            }
            guard i >= 0 && i < l.items.count else { throw JinjaError.runtime("pop index out of range") }
            return l.items.remove(at: i)
        }
        case "remove": return method(name) { args in
            guard let v = args.positional.first, let i = l.items.firstIndex(where: { Operators.equal($0, v) }) else {
                throw JinjaError.runtime("list.remove(x): x not in list")
            }
            l.items.remove(at: i)
            return .none
        }
        case "index": return method(name) { args in
            guard let v = args.positional.first, let i = l.items.firstIndex(where: { Operators.equal($0, v) }) else {
                throw JinjaError.runtime("value is not in list")
            }
            return .int(i)
        }
        case "count": return method(name) { args in
            guard let v = args.positional.first else { throw JinjaError.runtime("count() takes exactly one argument (0 given)") }
            return .int(l.items.filter { Operators.equal($0, v) }.count)
        }
        case "reverse": return method(name) { _ in l.items.reverse(); return .none }
        case "copy": return method(name) { _ in .list(ListBox(l.items)) }
        default: return nil
        }
    }

    static func string(_ s: String, _ name: String) -> Value? {
        switch name {
        case "lower": return method(name) { _ in .string(s.lowercased()) }
        case "upper": return method(name) { _ in .string(s.uppercased()) }
        case "strip", "lstrip", "rstrip": return method(name) { args in
            .string(strip(s, chars: try argString(args, 0, "chars", name), leading: name != "rstrip", trailing: name != "lstrip"))
        }
        case "split": return method(name) { args in
            let sep = try argString(args, 0, "sep", name)
            var maxsplit = -1
            if let m = args.value(1, "maxsplit"), case .int(let n)? = Operators.number(m) { maxsplit = n }
            return .list(ListBox(try split(s, sep, maxsplit).map { .string($0) }))
        }
        case "startswith", "endswith": return method(name) { args in
            guard let p = args.positional.first else { throw JinjaError.runtime("\(name)() takes at least 1 argument (0 given)") }
            let prefixes: [Value]
            if case .tuple(let t) = p { prefixes = t } else { prefixes = [p] }
            for x in prefixes {
                guard case .string(let q) = x else { throw JinjaError.runtime("\(name) first arg must be str or a tuple of str, not \(x.typeName)") }
                if name == "startswith" ? s.utf8.starts(with: q.utf8) : s.utf8.reversed().starts(with: q.utf8.reversed()) { return .bool(true) }
            }
            return .bool(false)
        }
        case "replace": return method(name) { args in
            guard let old = try argString(args, 0, "old", name), let new = try argString(args, 1, "new", name) else {
                throw JinjaError.runtime("replace expected at least 2 arguments")
            }
            var count = -1
            if let c = args.value(2, "count"), case .int(let n)? = Operators.number(c) { count = n }
            return .string(replace(s, old, new, count))
        }
        case "format": return method(name) { args in .string(try format(s, args)) }
        case "title": return method(name) { _ in .string(Filters.title(s)) }
        case "capitalize": return method(name) { _ in .string(Filters.capitalize(s)) }
        case "join": return method(name) { args in
            guard let v = args.positional.first else { throw JinjaError.runtime("join() takes exactly one argument (0 given)") }
            return .string(try Builtins.iterate(v, strict: true).map { item -> String in
                guard case .string(let x) = item else { throw JinjaError.runtime("sequence item: expected str instance, \(item.typeName) found") }
                return x
            }.joined(separator: s))
        }
        case "find": return method(name) { args in
            guard let sub = try argString(args, 0, "sub", name) else { throw JinjaError.runtime("find() takes at least 1 argument") }
            guard let r = s.firstRange(of: sub) else { return .int(-1) }
            return .int(s.distance(from: s.startIndex, to: r.lowerBound))
        }
        case "count": return method(name) { args in
            guard let sub = try argString(args, 0, "sub", name) else { throw JinjaError.runtime("count() takes at least 1 argument") }
            if sub.isEmpty { return .int(s.count + 1) }
            return .int(s.ranges(of: sub).count)
        }
        case "isdigit": return method(name) { _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal }) }
        case "isalpha": return method(name) { _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic }) }
        case "islower": return method(name) { _ in .bool(s.contains(where: { $0.isCased }) && s == s.lowercased()) }
        case "isupper": return method(name) { _ in .bool(s.contains(where: { $0.isCased }) && s == s.uppercased()) }
        default: return nil
        }
    }

    static func isSpace(_ c: Character) -> Bool { c.isWhitespace }

    /// Python's `str.strip(chars)`.
    static func strip(_ s: String, chars: String?, leading: Bool = true, trailing: Bool = true) -> String {
        let set: (Character) -> Bool = chars.map { cs in { cs.contains($0) } } ?? isSpace
        var sub = Substring(s)
        if leading { while let f = sub.first, set(f) { sub.removeFirst() } }
        if trailing { while let l = sub.last, set(l) { sub.removeLast() } }
        return String(sub)
    }

    /// Python's `str.split(sep, maxsplit)`.
    static func split(_ s: String, _ sep: String?, _ maxsplit: Int) throws -> [String] {
        guard let sep else {
            var parts: [String] = []
            var rest = Substring(s)
            while true {
                while let f = rest.first, isSpace(f) { rest.removeFirst() }
                if rest.isEmpty { break }
                if maxsplit >= 0 && parts.count == maxsplit {
                    while let l = rest.last, isSpace(l) { rest.removeLast() }
                    parts.append(String(rest))
                    break
                }
                let end = rest.firstIndex(where: isSpace) ?? rest.endIndex
                parts.append(String(rest[..<end]))
                rest = rest[end...]
            }
            return parts
        }
        if sep.isEmpty { throw JinjaError.runtime("empty separator") }
        var parts: [String] = []
        var rest = Substring(s)
        while maxsplit < 0 || parts.count < maxsplit, let r = rest.firstRange(of: sep) {
            parts.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    /// Python's `str.replace(old, new, count)`.
    static func replace(_ s: String, _ old: String, _ new: String, _ count: Int) -> String {
        if old.isEmpty {
            var out = ""
            var n = 0
            for ch in s {
                if count < 0 || n < count { out += new; n += 1 }
                out.append(ch)
            }
            if count < 0 || n < count { out += new }
            return out
        }
        if count < 0 { return s.replacing(old, with: new) }
        var out = ""
        var rest = Substring(s)
        var n = 0
        while n < count, let r = rest.firstRange(of: old) {
            out += rest[..<r.lowerBound] + new
            rest = rest[r.upperBound...]
            n += 1
        }
        return out + rest
    }

    /// Python's `str.format` for `{}`, `{0}` and `{name}` fields without format specs.
    static func format(_ s: String, _ args: Arguments) throws -> String {
        var out = ""
        var auto = 0
        var it = s.makeIterator()
        while let c = it.next() {
            if c == "}" {
                guard it.next() == "}" else { throw JinjaError.runtime("Single '}' encountered in format string") }
                out.append("}")
                continue
            }
            guard c == "{" else { out.append(c); continue }
            var field = ""
            var closed = false
            while let d = it.next() {
                if d == "{" && field.isEmpty { out.append("{"); closed = true; field = "\u{0}"; break }
                if d == "}" { closed = true; break }
                field.append(d)
            }
            if field == "\u{0}" { continue }
            guard closed else { throw JinjaError.runtime("Single '{' encountered in format string") }
            if field.contains(":") || field.contains("!") { throw JinjaError.runtime("format specs are not supported in format(): '{\(field)}'") }
            let v: Value?
            if field.isEmpty {
                v = auto < args.positional.count ? args.positional[auto] : nil
                auto += 1
            } else if let i = Int(field) {
                v = i < args.positional.count ? args.positional[i] : nil
            } else {
                v = args.keyword.last(where: { $0.0 == field })?.1
            }
            guard let value = v else { throw JinjaError.runtime("format(): no value for field '{\(field)}'") }
            out += value.pythonString
        }
        return out
    }
}
