/// Jinja's built-in tests (`value is name(args)`).
enum Tests {
    private static func arg(_ args: Arguments, _ test: String) throws -> Value {
        guard let v = args.positional.first ?? args.keyword.first?.1 else { throw JinjaError.runtime("test '\(test)' needs an argument") }
        return v
    }

    /// Applies the built-in test `name`, or returns nil when there is none.
    static func apply(_ name: String, _ v: Value, _ args: Arguments) throws -> Bool? {
        switch name {
        case "boolean": if case .bool = v { return true } else { return false }
        case "callable": if case .callable = v { return true } else { return false }
        case "defined": return v.isDefined
        case "undefined": return !v.isDefined
        case "none": if case .none = v { return true } else { return false }
        case "true": if case .bool(true) = v { return true } else { return false }
        case "false": if case .bool(false) = v { return true } else { return false }
        case "integer": if case .int = v { return true } else { return false }
        case "float": if case .double = v { return true } else { return false }
        case "number": return Operators.number(v) != nil
        case "string": return v.stringValue != nil
        case "mapping":
            if case .dict = v { return true }
            if case .object(let o) = v, o is any MappingJinjaObject { return true }
            return false
        case "iterable":
            switch v {
            case .list, .tuple, .dict, .string, .undefined: return true
            default: return false
            }
        case "sequence":
            switch v {
            case .list, .tuple, .dict, .string: return true
            default: return false
            }
        case "escaped": return false
        case "lower": return v.pythonString == v.pythonString.lowercased() && v.pythonString.contains(where: { $0.isCased })
        case "upper": return v.pythonString == v.pythonString.uppercased() && v.pythonString.contains(where: { $0.isCased })
        case "odd", "even":
            guard case .int(let i)? = Operators.number(v) else {
                if case .undefined(let why) = v { throw JinjaError.undefined(why) }
                throw JinjaError.runtime("test '\(name)' needs an integer, got \(v.typeName)")
            }
            return (i % 2 != 0) == (name == "odd")
        case "divisibleby":
            let d = try arg(args, name)
            let r = try Operators.binary("%", v, d)
            return Operators.equal(r, .int(0))
        case "eq", "equalto", "==": return Operators.equal(v, try arg(args, name))
        case "ne", "!=": return !Operators.equal(v, try arg(args, name))
        case "lt", "<", "lessthan": return try Operators.less(v, try arg(args, name))
        case "gt", ">", "greaterthan": return try Operators.less(try arg(args, name), v)
        case "le", "<=": return try Operators.compare("<=", v, try arg(args, name))
        case "ge", ">=": return try Operators.compare(">=", v, try arg(args, name))
        case "in": return try Operators.contains(try arg(args, name), v)
        case "sameas":
            let o = try arg(args, name)
            switch (v, o) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.list(let a), .list(let b)): return a === b
            case (.dict(let a), .dict(let b)): return a === b
            case (.int(let a), .int(let b)): return a == b && a >= -5 && a <= 256
            default: return false
            }
        default: return nil
        }
    }
}
