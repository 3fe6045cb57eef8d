/// Builds the node tree of a template from its tokens (Jinja 3.1's grammar and operator precedence).
struct Parser {
    private let tokens: [Token]
    private var i = 0
    private let name: String
    private let macroTags: [String: String]
    /// Names referenced inside each macro being parsed (to know whether it takes `caller`, `varargs`, `kwargs`).
    private var referenced: [Set<String>] = []
    /// How deep blocks and expressions are nested now: deeper than ``maxNesting`` is an error, not a stack overflow.
    private var nesting = 0
    static let maxNesting = 100

    init(tokens: [Token], name: String, macroTags: [String: String]) {
        self.tokens = tokens
        self.name = name
        self.macroTags = macroTags
    }

    private var current: Token { tokens[i] }
    private var next: Token { tokens[min(i + 1, tokens.count - 1)] }

    private func error(_ message: String, _ token: Token? = nil) -> JinjaError {
        let t = token ?? current
        return JinjaError(.syntax, message, template: name, line: t.line, column: t.column)
    }

    private func describe(_ k: TokenKind) -> String {
        switch k {
        case .data: return "template data"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name(let n): return "'\(n)'"
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .op(let o): return "'\(o)'"
        case .eof: return "end of template"
        }
    }

    private func isOp(_ o: String) -> Bool { if case .op(let x) = current.kind { return x == o } else { return false } }
    private func isName(_ n: String) -> Bool { if case .name(let x) = current.kind { return x == n } else { return false } }

    private mutating func expectOp(_ o: String) throws {
        guard isOp(o) else { throw error("expected '\(o)', got \(describe(current.kind))") }
        i += 1
    }

    private mutating func expectName() throws -> String {
        guard case .name(let n) = current.kind else { throw error("expected a name, got \(describe(current.kind))") }
        i += 1
        return n
    }

    private mutating func expectBlockEnd() throws {
        guard current.kind == .blockEnd else { throw error("expected end of statement block, got \(describe(current.kind))") }
        i += 1
    }

    // MARK: statements

    /// The whole template.
    mutating func parseTemplate() throws -> [Node] {
        let (body, _) = try parseBody(until: [])
        return body
    }

    /// Nodes up to a block tag whose name is in `until` (left unconsumed: the cursor is on that name).
    private mutating func parseBody(until: Set<String>) throws -> ([Node], String?) {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting { throw error("blocks nested deeper than \(Self.maxNesting) levels") }
        var nodes: [Node] = []
        while true {
            let t = current
            switch t.kind {
            case .eof:
                if !until.isEmpty {
                    let expected = until.sorted().map { "'\($0)'" }.joined(separator: " or ")
                    throw error("unexpected end of template, expected \(expected)")
                }
                return (nodes, nil)
            case .data(let s):
                nodes.append(.text(s))
                i += 1
            case .variableBegin:
                i += 1
                let e = try parseTuple()
                guard current.kind == .variableEnd else { throw error("expected end of print statement, got \(describe(current.kind))") }
                i += 1
                nodes.append(.output(e))
            case .blockBegin:
                i += 1
                guard case .name(let tag) = current.kind else { throw error("tag name expected") }
                if until.contains(tag) { return (nodes, tag) }
                nodes.append(try parseStatement(tag))
            default:
                throw error("unexpected \(describe(t.kind))")
            }
        }
    }

    private mutating func parseStatement(_ tag: String) throws -> Node {
        let t = current
        switch tag {
        case "if": i += 1; return try parseIf()
        case "for": i += 1; return try parseFor(t)
        case "set": i += 1; return try parseSet(t)
        case "macro": i += 1; return .macro(try parseMacro(t, end: "endmacro", prefix: ""))
        case "call": i += 1; return try parseCall(t)
        case "with":
            i += 1
            var assignments: [(AssignTarget, Expr)] = []
            while current.kind != .blockEnd {
                if !assignments.isEmpty { try expectOp(",") }
                let target = try parseAssignTarget(allowTuple: false, allowAttribute: false)
                try expectOp("=")
                assignments.append((target, try parseExpression()))
            }
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endwith"])
            i += 1
            try expectBlockEnd()
            return .with(assignments, body, line: t.line, column: t.column)
        case "do":
            i += 1
            let e = try parseTuple()
            try expectBlockEnd()
            return .doExpr(e)
        case "filter":
            i += 1
            let filters = try parseFilterChain()
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endfilter"])
            i += 1
            try expectBlockEnd()
            return .filterBlock(filters, body)
        case "break", "continue":
            i += 1
            try expectBlockEnd()
            return tag == "break" ? .breakLoop(line: t.line, column: t.column) : .continueLoop(line: t.line, column: t.column)
        default:
            if let prefix = macroTags[tag] {
                i += 1
                return .macro(try parseMacro(t, end: "end" + tag, prefix: prefix))
            }
            let known = ["elif", "else", "endif", "endfor", "endmacro", "endcall", "endset", "endfilter", "endraw", "endwith"]
            if known.contains(tag) { throw error("unexpected '\(tag)' (no open block it could close)", t) }
            throw error("unsupported tag '\(tag)'", t)
        }
    }

    private mutating func parseIf() throws -> Node {
        var branches: [(Expr, [Node])] = []
        var cond = try parseTuple(allowEmpty: false)
        try expectBlockEnd()
        while true {
            let (body, tag) = try parseBody(until: ["elif", "else", "endif"])
            i += 1
            switch tag {
            case "elif":
                branches.append((cond, body))
                cond = try parseTuple(allowEmpty: false)
                try expectBlockEnd()
            case "else":
                branches.append((cond, body))
                try expectBlockEnd()
                let (elseBody, _) = try parseBody(until: ["endif"])
                i += 1
                try expectBlockEnd()
                return .ifChain(branches, elseBody)
            default:
                branches.append((cond, body))
                try expectBlockEnd()
                return .ifChain(branches, nil)
            }
        }
    }

    private mutating func parseAssignTarget(allowTuple: Bool, allowAttribute: Bool) throws -> AssignTarget {
        var targets: [AssignTarget] = []
        var sawComma = false
        repeat {
            if isOp("(") {
                i += 1
                targets.append(try parseAssignTarget(allowTuple: true, allowAttribute: false))
                try expectOp(")")
            } else {
                let t = current
                let n = try expectName()
                if allowAttribute && isOp(".") {
                    i += 1
                    let attr = try expectName()
                    return .attribute(Expr(.name(n), t.line, t.column), attr)
                }
                if ["true", "false", "none", "True", "False", "None"].contains(n) { throw error("can't assign to '\(n)'", t) }
                targets.append(.name(n))
            }
            if allowTuple && isOp(",") { i += 1; sawComma = true } else { break }
        } while !(current.kind == .blockEnd || isOp("=") || isName("in"))
        if !sawComma && targets.count == 1 { return targets[0] }
        return .tuple(targets)
    }

    private mutating func parseFor(_ t: Token) throws -> Node {
        let target = try parseAssignTarget(allowTuple: true, allowAttribute: false)
        guard isName("in") else { throw error("expected 'in', got \(describe(current.kind))") }
        i += 1
        let iterable = try parseTuple(allowEmpty: false, withCondition: false)
        var condition: Expr?
        if isName("if") {
            i += 1
            condition = try parseExpression()
        }
        if isName("recursive") { throw error("recursive loops are not supported") }
        try expectBlockEnd()
        let (body, tag) = try parseBody(until: ["endfor", "else"])
        i += 1
        try expectBlockEnd()
        var elseBody: [Node] = []
        if tag == "else" {
            (elseBody, _) = try parseBody(until: ["endfor"])
            i += 1
            try expectBlockEnd()
        }
        return .forLoop(ForLoop(target: target, iterable: iterable, condition: condition, body: body, elseBody: elseBody,
                                line: t.line, column: t.column))
    }

    private mutating func parseSet(_ t: Token) throws -> Node {
        let target = try parseAssignTarget(allowTuple: true, allowAttribute: true)
        if isOp("=") {
            i += 1
            let e = try parseTuple()
            try expectBlockEnd()
            return .set(target, e, line: t.line, column: t.column)
        }
        if case .tuple = target { throw error("expected '='") }
        let filters = try parseFilterChain()
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endset"])
        i += 1
        try expectBlockEnd()
        return .setBlock(target, filters, body, line: t.line, column: t.column)
    }

    private mutating func parseFilterChain() throws -> [(String, CallArgs, Int, Int)] {
        var filters: [(String, CallArgs, Int, Int)] = []
        var first = true
        while first || isOp("|") {
            if !first { i += 1 } else if !isOp("|") && current.kind == .blockEnd { break }
            if first, isOp("|") { i += 1 }
            first = false
            let t = current
            var n = try expectName()
            while isOp(".") { i += 1; n += "." + (try expectName()) }
            var args = CallArgs()
            if isOp("(") { args = try parseCallArgs() }
            filters.append((n, args, t.line, t.column))
        }
        return filters
    }

    private mutating func parseParameters() throws -> [Parameter] {
        var params: [Parameter] = []
        try expectOp("(")
        while !isOp(")") {
            if !params.isEmpty { try expectOp(",") }
            if isOp(")") { break }
            let n = try expectName()
            var d: Expr?
            if isOp("=") { i += 1; d = try parseExpression() } else if params.contains(where: { $0.defaultValue != nil }) {
                throw error("non-default argument follows default argument")
            }
            params.append(Parameter(name: n, defaultValue: d))
        }
        i += 1
        return params
    }

    private mutating func parseMacro(_ t: Token, end: String, prefix: String) throws -> MacroDefinition {
        let n = try expectName()
        let params = try parseParameters()
        try expectBlockEnd()
        referenced.append([])
        let (body, _) = try parseBody(until: [end])
        let refs = referenced.removeLast()
        i += 1
        if case .name(let again) = current.kind, again == n { i += 1 }
        try expectBlockEnd()
        return MacroDefinition(name: prefix + n, parameters: params, body: body, template: name,
                               usesCaller: refs.contains("caller"), usesVarargs: refs.contains("varargs"),
                               usesKwargs: refs.contains("kwargs"), line: t.line, column: t.column)
    }

    private mutating func parseCall(_ t: Token) throws -> Node {
        var params: [Parameter] = []
        if isOp("(") { params = try parseParameters() }
        let call = try parseExpression()
        guard case .call = call.kind else { throw error("expected call", t) }
        try expectBlockEnd()
        referenced.append([])
        let (body, _) = try parseBody(until: ["endcall"])
        let refs = referenced.removeLast()
        i += 1
        try expectBlockEnd()
        let def = MacroDefinition(name: "caller", parameters: params, body: body, template: name, usesCaller: refs.contains("caller"),
                                  usesVarargs: refs.contains("varargs"), usesKwargs: refs.contains("kwargs"),
                                  line: t.line, column: t.column)
        return .callBlock(call, def)
    }

    // MARK: expressions

    /// An expression or a tuple of them (`{{ a, b }}`, `set x = 1, 2`).
    mutating func parseTuple(allowEmpty: Bool = false, withCondition: Bool = true) throws -> Expr {
        let t = current
        var items: [Expr] = []
        var sawComma = false
        while true {
            if !items.isEmpty {
                guard isOp(",") else { break }
                i += 1
                sawComma = true
            }
            if current.kind == .blockEnd || current.kind == .variableEnd || isOp(")") || (isName("if") && !withCondition) {
                break
            }
            items.append(withCondition ? try parseExpression() : try parseOr())
        }
        if items.isEmpty {
            if allowEmpty { return Expr(.tuple([]), t.line, t.column) }
            throw error("expected an expression, got \(describe(current.kind))")
        }
        if items.count == 1 && !sawComma { return items[0] }
        return Expr(.tuple(items), t.line, t.column)
    }

    mutating func parseExpression() throws -> Expr {
        let t = current
        let e = try parseOr()
        if isName("if") {
            i += 1
            let cond = try parseOr()
            var other: Expr?
            if isName("else") { i += 1; other = try parseExpression() }
            return Expr(.conditional(cond, e, other), t.line, t.column)
        }
        return e
    }

    private mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while isName("or") {
            let t = current
            i += 1
            left = Expr(.or(left, try parseAnd()), t.line, t.column)
        }
        return left
    }

    private mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while isName("and") {
            let t = current
            i += 1
            left = Expr(.and(left, try parseNot()), t.line, t.column)
        }
        return left
    }

    private mutating func parseNot() throws -> Expr {
        if isName("not") {
            let t = current
            i += 1
            return Expr(.not(try parseNot()), t.line, t.column)
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> Expr {
        let t = current
        let first = try parseMath1()
        var ops: [(String, Expr)] = []
        while true {
            if case .op(let o) = current.kind, ["==", "!=", "<", ">", "<=", ">="].contains(o) {
                i += 1
                ops.append((o, try parseMath1()))
            } else if isName("in") {
                i += 1
                ops.append(("in", try parseMath1()))
            } else if isName("not"), case .name("in") = next.kind {
                i += 2
                ops.append(("notin", try parseMath1()))
            } else { break }
        }
        return ops.isEmpty ? first : Expr(.compare(first, ops), t.line, t.column)
    }

    private mutating func parseMath1() throws -> Expr {
        var left = try parseConcat()
        while case .op(let o) = current.kind, o == "+" || o == "-" {
            let t = current
            i += 1
            left = Expr(.binary(o, left, try parseConcat()), t.line, t.column)
        }
        return left
    }

    private mutating func parseConcat() throws -> Expr {
        let t = current
        var items = [try parseMath2()]
        while isOp("~") {
            i += 1
            items.append(try parseMath2())
        }
        return items.count == 1 ? items[0] : Expr(.concat(items), t.line, t.column)
    }

    private mutating func parseMath2() throws -> Expr {
        var left = try parsePow()
        while case .op(let o) = current.kind, ["*", "/", "//", "%"].contains(o) {
            let t = current
            i += 1
            left = Expr(.binary(o, left, try parsePow()), t.line, t.column)
        }
        return left
    }

    private mutating func parsePow() throws -> Expr {
        var left = try parseUnary()
        while isOp("**") {
            let t = current
            i += 1
            left = Expr(.binary("**", left, try parseUnary()), t.line, t.column)
        }
        return left
    }

    private mutating func parseUnary(withFilter: Bool = true) throws -> Expr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting { throw error("expression nested deeper than \(Self.maxNesting) levels") }
        let t = current
        var node: Expr
        if isOp("-") || isOp("+") {
            let o = isOp("-") ? "-" : "+"
            i += 1
            node = Expr(.unary(o, try parseUnary(withFilter: false)), t.line, t.column)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpr(node) }
        return node
    }

    private mutating func parsePrimary() throws -> Expr {
        let t = current
        switch t.kind {
        case .name(let n):
            i += 1
            switch n {
            case "true", "True": return Expr(.literal(.bool(true)), t.line, t.column)
            case "false", "False": return Expr(.literal(.bool(false)), t.line, t.column)
            case "none", "None": return Expr(.literal(.none), t.line, t.column)
            default:
                if !referenced.isEmpty { referenced[referenced.count - 1].insert(n) }
                return Expr(.name(n), t.line, t.column)
            }
        case .string(var s):
            i += 1
            while case .string(let more) = current.kind { s += more; i += 1 }
            return Expr(.literal(.string(s)), t.line, t.column)
        case .integer(let v): i += 1; return Expr(.literal(.int(v)), t.line, t.column)
        case .float(let v): i += 1; return Expr(.literal(.double(v)), t.line, t.column)
        case .op("("):
            i += 1
            let e = try parseTuple(allowEmpty: true)
            try expectOp(")")
            return e
        case .op("["):
            i += 1
            var items: [Expr] = []
            while !isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if isOp("]") { break }
                items.append(try parseExpression())
            }
            i += 1
            return Expr(.list(items), t.line, t.column)
        case .op("{"):
            i += 1
            var items: [(Expr, Expr)] = []
            while !isOp("}") {
                if !items.isEmpty { try expectOp(",") }
                if isOp("}") { break }
                let k = try parseExpression()
                try expectOp(":")
                items.append((k, try parseExpression()))
            }
            i += 1
            return Expr(.dict(items), t.line, t.column)
        default:
            throw error("unexpected \(describe(t.kind))")
        }
    }

    private mutating func parsePostfix(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            let t = current
            if isOp(".") {
                i += 1
                switch current.kind {
                case .name(let n): i += 1; node = Expr(.attribute(node, n), t.line, t.column)
                case .integer(let v): i += 1; node = Expr(.item(node, Expr(.literal(.int(v)), t.line, t.column)), t.line, t.column)
                default: throw error("expected name or number after '.'")
                }
            } else if isOp("[") {
                i += 1
                node = try parseSubscript(node, t)
            } else if isOp("(") {
                node = Expr(.call(node, try parseCallArgs()), node.line, node.column)
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ node: Expr, _ t: Token) throws -> Expr {
        var parts: [Expr?] = []
        var isSlice = false
        var cur: Expr?
        while !isOp("]") {
            if isOp(":") {
                i += 1
                isSlice = true
                parts.append(cur)
                cur = nil
                continue
            }
            if isOp(",") { throw error("tuple subscripts are not supported") }
            cur = try parseExpression()
        }
        i += 1
        if !isSlice {
            guard let index = cur else { throw error("expected an index inside '[]'", t) }
            return Expr(.item(node, index), t.line, t.column)
        }
        parts.append(cur)
        if parts.count > 3 { throw error("invalid slice", t) }
        while parts.count < 3 { parts.append(nil) }
        return Expr(.slice(node, parts[0], parts[1], parts[2]), t.line, t.column)
    }

    private mutating func parseCallArgs() throws -> CallArgs {
        try expectOp("(")
        var args = CallArgs()
        var first = true
        while !isOp(")") {
            if !first { try expectOp(","); if isOp(")") { break } }
            first = false
            if isOp("*") {
                i += 1
                args.star = try parseExpression()
            } else if isOp("**") {
                i += 1
                args.doubleStar = try parseExpression()
            } else if case .name(let n) = current.kind, case .op("=") = next.kind {
                i += 2
                args.keyword.append((n, try parseExpression()))
            } else {
                if !args.keyword.isEmpty { throw error("positional argument follows keyword argument") }
                args.positional.append(try parseExpression())
            }
        }
        i += 1
        return args
    }

    private mutating func parseFilterExpr(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            let t = current
            if isOp("|") {
                i += 1
                var n = try expectName()
                while isOp(".") { i += 1; n += "." + (try expectName()) }
                var args = CallArgs()
                if isOp("(") { args = try parseCallArgs() }
                node = Expr(.filter(node, n, args), t.line, t.column)
            } else if isName("is") {
                i += 1
                var negated = false
                if isName("not") { negated = true; i += 1 }
                var n = try expectName()
                while isOp(".") { i += 1; n += "." + (try expectName()) }
                var args = CallArgs()
                if isOp("(") {
                    args = try parseCallArgs()
                } else if startsPrimaryArgument() {
                    if isName("is") { throw error("You cannot chain multiple tests with is") }
                    args.positional = [try parsePostfix(try parsePrimary())]
                }
                node = Expr(.test(node, n, args, negated: negated), t.line, t.column)
            } else if isOp("(") {
                node = Expr(.call(node, try parseCallArgs()), node.line, node.column)
            } else {
                return node
            }
        }
    }

    private func startsPrimaryArgument() -> Bool {
        switch current.kind {
        case .name(let n): return !["else", "or", "and"].contains(n)
        case .string, .integer, .float: return true
        case .op(let o): return o == "[" || o == "{"
        default: return false
        }
    }
}
