/// Jinja's built-in filters that dbt projects use (`value | name(args)`).
///
/// Filters that return generators in Jinja (`map`, `select`, `reject`, `unique`, `batch`, `reverse` of a list,
/// `items`) return lists here.
enum Filters {
    static func str(_ v: Value) -> String { v.pythonString }

    static func bool(_ args: Arguments, _ i: Int, _ name: String, _ dflt: Bool) -> Bool { args.value(i, name)?.isTruthy ?? dflt }

    static func int(_ args: Arguments, _ i: Int, _ name: String, _ dflt: Int) throws -> Int {
        guard let v = args.value(i, name) else { return dflt }
        guard case .int(let n)? = Operators.number(v) else { throw JinjaError.runtime("'\(name)' must be an integer, not \(v.typeName)") }
        return n
    }

    static func undefinedCheck(_ v: Value) throws {
        if case .undefined(let why) = v { throw JinjaError.undefined(why) }
    }

    /// Applies the built-in filter `name`, or returns nil when there is none.
    static func apply(_ name: String, _ v: Value, _ args: Arguments, _ r: Renderer, _ line: Int, _ column: Int) throws -> Value? {
        switch name {
        case "abs":
            try undefinedCheck(v)
            switch Operators.number(v) {
            case .int(let i)?: return .int(abs(i))
            case .double(let d)?: return .double(abs(d))
            default: throw JinjaError.runtime("bad operand type for abs(): '\(v.typeName)'")
            }
        case "attr":
            guard case .string(let a)? = args.value(0, "name") else { throw JinjaError.runtime("attr() needs an attribute name") }
            if case .dict(let d) = v { return Methods.dict(d, a) ?? .undefined("'dict object' has no attribute '\(a)'") }
            return try Builtins.attribute(v, a)
        case "batch":
            let n = try int(args, 0, "linecount", 1)
            guard n > 0 else { throw JinjaError.runtime("batch size must be positive") }
            let fill = args.value(1, "fill_with")
            var out: [Value] = []
            var cur: [Value] = []
            for item in try Builtins.iterate(v) {
                cur.append(item)
                if cur.count == n { out.append(.array(cur)); cur = [] }
            }
            if !cur.isEmpty {
                if let f = fill, case .none = f {} else if let f = fill { while cur.count < n { cur.append(f) } }
                out.append(.array(cur))
            }
            return .array(out)
        case "capitalize": return .string(capitalize(str(v)))
        case "count", "length":
            switch v {
            case .string(let s): return .int(s.count)
            case .list(let l): return .int(l.items.count)
            case .tuple(let t): return .int(t.count)
            case .dict(let d): return .int(d.count)
            case .undefined: return .int(0)
            default: throw JinjaError.runtime("object of type '\(v.typeName)' has no len()")
            }
        case "d", "default":
            let dflt = args.value(0, "default_value") ?? .string("")
            if case .undefined = v { return dflt }
            if bool(args, 1, "boolean", false) && !v.isTruthy { return dflt }
            return v
        case "dictsort":
            guard case .dict(let d) = v else { try undefinedCheck(v); throw JinjaError.runtime("dictsort expects a mapping") }
            let caseSensitive = bool(args, 0, "case_sensitive", false)
            let by = args.value(1, "by")?.stringValue ?? "key"
            guard by == "key" || by == "value" else { throw JinjaError.runtime("You can only sort by either \"key\" or \"value\"") }
            let reverse = bool(args, 2, "reverse", false)
            let pairs = try sortValues(d.entries.map { Value.tuple([$0.key, $0.value]) }, caseSensitive: caseSensitive, reverse: reverse) {
                if case .tuple(let t) = $0 { return t[by == "key" ? 0 : 1] }
                return $0
            }
            return .array(pairs)
        case "e", "escape":
            if case .undefined = v { return .string("") }
            return .string(escapeHTML(str(v)))
        case "first":
            let items = try Builtins.iterate(v)
            return items.first ?? .undefined("No first item, sequence was empty.")
        case "last":
            let items = try Builtins.iterate(v)
            return items.last ?? .undefined("No last item, sequence was empty.")
        case "float":
            let dflt = args.value(0, "default") ?? .double(0)
            switch v {
            case .int(let i): return .double(Double(i))
            case .bool(let b): return .double(b ? 1 : 0)
            case .double: return v
            case .string(let s): return parseFloat(s).map { .double($0) } ?? dflt
            case .undefined(let why): throw JinjaError.undefined(why)
            default: return dflt
            }
        case "int":
            let dflt = args.value(0, "default") ?? .int(0)
            let base = try int(args, 1, "base", 10)
            switch v {
            case .int: return v
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d): return d.isFinite ? .int(Int(d)) : dflt
            case .string(let s):
                let t = Methods.strip(s, chars: nil).replacing("_", with: "")
                var body = Substring(t)
                var sign = 1
                if body.first == "-" { sign = -1; body.removeFirst() } else if body.first == "+" { body.removeFirst() }
                if base == 16, body.lowercased().hasPrefix("0x") { body = body.dropFirst(2) }
                if let i = Int(body, radix: base), !body.isEmpty { return .int(sign * i) }
                if let d = parseFloat(s), d.isFinite { return .int(Int(d)) }
                return dflt
            case .undefined(let why): throw JinjaError.undefined(why)
            default: return dflt
            }
        case "items":
            if case .undefined = v { return .array([]) }
            guard case .dict(let d) = v else { throw JinjaError.runtime("Can only get item pairs from a mapping.") }
            return .array(d.entries.map { .tuple([$0.key, $0.value]) })
        case "indent": return .string(try indent(str(v), args))
        case "join":
            var items = try Builtins.iterate(v)
            if let a = args.value(1, "attribute") { items = try items.map { try attributePath(a)($0) } }
            let sep = args.value(0, "d").map(str) ?? ""
            return .string(items.map(str).joined(separator: sep))
        case "list": return .array(try Builtins.iterate(v))
        case "lower": return .string(str(v).lowercased())
        case "upper": return .string(str(v).uppercased())
        case "map": return .array(try map(v, args, r, line, column))
        case "max", "min":
            let caseSensitive = bool(args, 0, "case_sensitive", false)
            var key: (Value) throws -> Value = { $0 }
            if let a = args.value(1, "attribute") { key = try attributePath(a) }
            let sorted = try sortValues(try Builtins.iterate(v), caseSensitive: caseSensitive, reverse: false, key: key)
            guard let pick = name == "min" ? sorted.first : sorted.last else { return .undefined("No aggregated item, sequence was empty.") }
            if name == "max" {
                // Python's max keeps the first of equal maxima.
                let k = try normalizedKey(key(pick), caseSensitive)
                for item in sorted where Operators.equal(try normalizedKey(key(item), caseSensitive), k) { return item }
            }
            return pick
        case "select", "reject":
            return .array(try select(v, args, name == "select", attribute: nil, r, line, column))
        case "selectattr", "rejectattr":
            guard let a = args.positional.first else { throw JinjaError.runtime("\(name) needs an attribute name") }
            var rest = args
            rest.positional.removeFirst()
            return .array(try select(v, rest, name == "selectattr", attribute: a, r, line, column))
        case "replace":
            guard args.positional.count + args.keyword.count >= 2 else { throw JinjaError.runtime("replace() needs the old and the new string") }
            let old = str(args.value(0, "old")!), new = str(args.value(1, "new")!)
            let count = args.value(2, "count").flatMap { if case .int(let n)? = Operators.number($0) { return n } else { return nil } } ?? -1
            return .string(Methods.replace(str(v), old, new, count))
        case "reverse":
            if case .string(let s) = v { return .string(String(s.reversed())) }
            return .array(try Builtins.iterate(v).reversed())
        case "round":
            try undefinedCheck(v)
            let precision = try int(args, 0, "precision", 0)
            let method = args.value(1, "method")?.stringValue ?? "common"
            guard let n = Operators.number(v) else { throw JinjaError.runtime("type \(v.typeName) doesn't define __round__ method") }
            let x = Operators.double(n)
            let scale = pow(10.0, Double(precision))
            switch method {
            case "common":
                if case .int(let i) = n, precision >= 0 { return .int(i) }
                return .double((x * scale).rounded(.toNearestOrEven) / scale)
            case "ceil": return .double((x * scale).rounded(.up) / scale)
            case "floor": return .double((x * scale).rounded(.down) / scale)
            default: throw JinjaError.runtime("method must be common, ceil or floor")
            }
        case "safe": return v
        case "sort":
            let reverse = bool(args, 0, "reverse", false)
            let caseSensitive = bool(args, 1, "case_sensitive", false)
            var key: (Value) throws -> Value = { $0 }
            if let a = args.value(2, "attribute") { key = try attributePath(a) }
            return .array(try sortValues(try Builtins.iterate(v), caseSensitive: caseSensitive, reverse: reverse, key: key))
        case "string": return .string(str(v))
        case "sum":
            var total = args.value(1, "start") ?? .int(0)
            var key: (Value) throws -> Value = { $0 }
            if let a = args.value(0, "attribute") { key = try attributePath(a) }
            for item in try Builtins.iterate(v) { total = try Operators.binary("+", total, try key(item)) }
            return total
        case "title": return .string(title(str(v)))
        case "tojson":
            var ind: Int?
            if let i = args.value(0, "indent"), case .int(let n)? = Operators.number(i) { ind = n }
            return .string(try v.json(indent: ind))
        case "trim":
            let chars = args.value(0, "chars").flatMap { $0.stringValue }
            return .string(Methods.strip(str(v), chars: chars))
        case "unique":
            let caseSensitive = bool(args, 0, "case_sensitive", false)
            var key: (Value) throws -> Value = { $0 }
            if let a = args.value(1, "attribute") { key = try attributePath(a) }
            var seen: [Value] = []
            var out: [Value] = []
            for item in try Builtins.iterate(v) {
                let k = try normalizedKey(try key(item), caseSensitive)
                if !seen.contains(where: { Operators.equal($0, k) }) { seen.append(k); out.append(item) }
            }
            return .array(out)
        case "wordcount":
            var n = 0
            var inWord = false
            for ch in str(v) {
                let w = ch.isLetter || ch.isNumber || ch == "_"
                if w && !inWord { n += 1 }
                inWord = w
            }
            return .int(n)
        default: return nil
        }
    }

    static func parseFloat(_ s: String) -> Double? {
        let t = Methods.strip(s, chars: nil).replacing("_", with: "")
        switch t.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default:
            guard !t.isEmpty, t.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
            return Double(t)
        }
    }

    static func normalizedKey(_ v: Value, _ caseSensitive: Bool) throws -> Value {
        if !caseSensitive, case .string(let s) = v { return .string(s.lowercased()) }
        return v
    }

    static func sortValues(_ items: [Value], caseSensitive: Bool, reverse: Bool, key: (Value) throws -> Value) throws -> [Value] {
        let keyed = try items.map { (try normalizedKey(try key($0), caseSensitive), $0) }
        var failure: Error?
        let sorted = keyed.enumerated().sorted { a, b in
            do {
                if try Operators.less(a.element.0, b.element.0) { return !reverse }
                if try Operators.less(b.element.0, a.element.0) { return reverse }
            } catch { failure = error }
            return a.offset < b.offset
        }
        if let failure { throw failure }
        return sorted.map { $0.element.1 }
    }

    /// Jinja's attribute getter for `attribute="a.b.0"`.
    static func attributePath(_ a: Value) throws -> (Value) throws -> Value {
        if case .int = a { return { try Builtins.item($0, a) } }
        let parts = str(a).split(separator: ".").map { p -> Value in Int(p).map { .int($0) } ?? .string(String(p)) }
        return { item in
            var cur = item
            for p in parts { cur = try Builtins.item(cur, p) }
            return cur
        }
    }

    static func map(_ v: Value, _ args: Arguments, _ r: Renderer, _ line: Int, _ column: Int) throws -> [Value] {
        let items = try Builtins.iterate(v)
        if args.positional.isEmpty, let a = args.keyword.first(where: { $0.0 == "attribute" })?.1 {
            let get = try attributePath(a)
            let dflt = args.keyword.first(where: { $0.0 == "default" })?.1
            return try items.map { item in
                let x = try get(item)
                if case .undefined = x, let d = dflt { return d }
                return x
            }
        }
        guard case .string(let filterName)? = args.positional.first else { throw JinjaError.runtime("map requires a filter argument") }
        let rest = Arguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
        return try items.map { try r.filter(filterName, $0, rest, line, column) }
    }

    static func select(_ v: Value, _ args: Arguments, _ keep: Bool, attribute: Value?, _ r: Renderer, _ line: Int, _ column: Int) throws -> [Value] {
        let items = try Builtins.iterate(v)
        let get = try attribute.map(attributePath)
        var out: [Value] = []
        for item in items {
            let x = try get?(item) ?? item
            var ok: Bool
            if case .string(let testName)? = args.positional.first {
                let rest = Arguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
                ok = try r.test(testName, x, rest, line, column)
            } else {
                ok = x.isTruthy
            }
            if ok == keep { out.append(item) }
        }
        return out
    }

    static func escapeHTML(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func capitalize(_ s: String) -> String {
        guard let f = s.first else { return s }
        return f.uppercased() + s.dropFirst().lowercased()
    }

    /// Jinja's `title`: each word (after whitespace, `-`, `(`, `{`, `[`, `<`) capitalized.
    static func title(_ s: String) -> String {
        var out = ""
        var atStart = true
        for ch in s {
            if ch.isWhitespace || "-({[<".contains(ch) {
                out.append(ch)
                atStart = true
            } else {
                out += atStart ? ch.uppercased() : ch.lowercased()
                atStart = false
            }
        }
        return out
    }

    static func indent(_ text: String, _ args: Arguments) throws -> String {
        var indention = "    "
        if let w = args.value(0, "width") {
            if case .string(let s) = w { indention = s } else { indention = String(repeating: " ", count: max(0, try int(args, 0, "width", 4))) }
        }
        let first = bool(args, 1, "first", false)
        let blank = bool(args, 2, "blank", false)
        let s = text + "\n"
        var lines = splitlines(s)
        var rv: String
        if blank {
            rv = lines.joined(separator: "\n" + indention)
        } else {
            rv = lines.removeFirst()
            if !lines.isEmpty { rv += "\n" + lines.map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n") }
        }
        if first { rv = indention + rv }
        return rv
    }

    /// Python's `str.splitlines()` for `\n`, `\r\n` and `\r`.
    static func splitlines(_ s: String) -> [String] {
        var lines: [String] = []
        var cur = ""
        var it = s.unicodeScalars.makeIterator()
        var pendingCR = false
        while let c = it.next() {
            if pendingCR {
                pendingCR = false
                if c == "\n" { continue }
            }
            if c == "\n" || c == "\r" {
                lines.append(cur)
                cur = ""
                pendingCR = c == "\r"
            } else {
                cur.unicodeScalars.append(c)
            }
        }
        if !cur.isEmpty { lines.append(cur) }
        return lines
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
