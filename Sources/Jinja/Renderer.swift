/// Executes a template's nodes: one renderer per `render` call (not shared between threads).
final class Renderer {
    let environment: Environment
    var templateName: String
    var out = ""
    var loopDepth = 0

    init(environment: Environment, templateName: String) {
        self.environment = environment
        self.templateName = templateName
    }

    enum Flow { case normal, breakLoop, continueLoop }

    func renderTop(_ nodes: [Node], scope: Scope) throws -> String {
        _ = try render(nodes, scope)
        return out
    }

    /// Adds the current template and `line:column` to an error thrown without a location.
    func located(_ error: Error, _ line: Int, _ column: Int) -> Error {
        if var e = error as? JinjaError, e.template == nil {
            e.template = templateName
            e.line = line
            e.column = column
            return e
        }
        return error
    }

    func fail(_ kind: JinjaError.Kind = .runtime, _ message: String, _ line: Int, _ column: Int) -> JinjaError {
        JinjaError(kind, message, template: templateName, line: line, column: column)
    }

    // MARK: statements

    func render(_ nodes: [Node], _ scope: Scope) throws -> Flow {
        for node in nodes {
            switch node {
            case .text(let s): out += s
            case .output(let e):
                let v = try eval(e, scope)
                if case .undefined = v { continue }
                out += v.pythonString
            case .ifChain(let branches, let elseBody):
                var done = false
                for (cond, body) in branches where try eval(cond, scope).isTruthy {
                    let f = try render(body, scope)
                    if f != .normal { return f }
                    done = true
                    break
                }
                if !done, let eb = elseBody {
                    let f = try render(eb, scope)
                    if f != .normal { return f }
                }
            case .forLoop(let loop): try renderFor(loop, scope)
            case .set(let target, let e, let line, let column):
                try assign(target, try eval(e, scope), scope, line, column)
            case .setBlock(let target, let filters, let body, let line, let column):
                var v = Value.string(try capture(body, scope))
                for (name, args, l, c) in filters { v = try applyFilter(name, v, args, scope, l, c) }
                try assign(target, v, scope, line, column)
            case .macro(let def):
                scope.vars[def.name] = Renderer.macroValue(def, scope: scope, environment: environment)
            case .callBlock(let callExpr, let def):
                guard case .call(let callee, let argExprs) = callExpr.kind else { continue }
                let caller = Renderer.macroValue(def, scope: scope, environment: environment)
                let f = try eval(callee, scope)
                var args = try evalArgs(argExprs, scope)
                args.caller = caller
                let v = try call(f, args, callExpr.line, callExpr.column, describe: callee)
                if case .undefined = v { continue }
                out += v.pythonString
            case .doExpr(let e): _ = try eval(e, scope)
            case .with(let assignments, let body, let line, let column):
                let inner = Scope(parent: scope)
                for (target, e) in assignments { try assign(target, try eval(e, scope), inner, line, column) }
                let f = try render(body, inner)
                if f != .normal { return f }
            case .filterBlock(let filters, let body):
                var v = Value.string(try capture(body, scope))
                for (name, args, l, c) in filters { v = try applyFilter(name, v, args, scope, l, c) }
                out += v.pythonString
            case .breakLoop(let line, let column):
                if loopDepth == 0 { throw fail(.syntax, "'break' outside of a loop", line, column) }
                return .breakLoop
            case .continueLoop(let line, let column):
                if loopDepth == 0 { throw fail(.syntax, "'continue' outside of a loop", line, column) }
                return .continueLoop
            }
        }
        return .normal
    }

    /// Renders `nodes` into a string instead of the output.
    func capture(_ nodes: [Node], _ scope: Scope) throws -> String {
        let saved = out
        out = ""
        defer { out = saved }
        _ = try render(nodes, scope)
        return out
    }

    func renderFor(_ loop: ForLoop, _ scope: Scope) throws {
        let iterable = try eval(loop.iterable, scope)
        var items: [Value]
        do { items = try Builtins.iterate(iterable) } catch { throw located(error, loop.iterable.line, loop.iterable.column) }
        let inner = Scope(parent: scope)
        if let cond = loop.condition {
            var kept: [Value] = []
            for item in items {
                try assign(loop.target, item, inner, loop.line, loop.column)
                if try eval(cond, inner).isTruthy { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            _ = try render(loop.elseBody, scope)
            return
        }
        let loopObject = LoopObject(items: items, depth: 1)  // depth counts recursive loops only, which are not supported
        loopDepth += 1
        defer { loopDepth -= 1 }
        for (i, item) in items.enumerated() {
            loopObject.index0 = i
            inner.vars["loop"] = .object(loopObject)
            try assign(loop.target, item, inner, loop.line, loop.column)
            let f = try render(loop.body, inner)
            if f == .breakLoop { break }
        }
    }

    func assign(_ target: AssignTarget, _ value: Value, _ scope: Scope, _ line: Int, _ column: Int) throws {
        switch target {
        case .name(let n): scope.vars[n] = value
        case .tuple(let targets):
            let items: [Value]
            do { items = try Builtins.iterate(value, strict: true) } catch { throw located(error, line, column) }
            if items.count > targets.count { throw fail(.runtime, "too many values to unpack (expected \(targets.count))", line, column) }
            if items.count < targets.count {
                throw fail(.runtime, "not enough values to unpack (expected \(targets.count), got \(items.count))", line, column)
            }
            for (t, v) in zip(targets, items) { try assign(t, v, scope, line, column) }
        case .attribute(let objExpr, let attr):
            let obj = try eval(objExpr, scope)
            guard case .object(let o) = obj, o is NamespaceObject else {
                throw fail(.runtime, "can only set attributes on namespace objects", line, column)
            }
            try o.setAttribute(attr, value)
        }
    }

    // MARK: macros

    /// A macro as a callable closing over `scope` (where it was defined).
    static func macroValue(_ def: MacroDefinition, scope: Scope, environment: Environment) -> Value {
        .callable(Callable(macro: def.name) { args in
            let r = Renderer(environment: environment, templateName: def.template)
            return try r.invokeMacro(def, args, scope)
        })
    }

    func invokeMacro(_ def: MacroDefinition, _ args: Arguments, _ closure: Scope) throws -> Value {
        let params = def.parameters
        let scope = Scope(parent: closure, capacity: params.count + 3)
        // Only errors print it: built when one is thrown.
        var label: String { def.name == "caller" ? "caller" : "macro '\(def.name)'" }
        var extra: [Value] = []
        for (i, v) in args.positional.enumerated() {
            if i < params.count { scope.vars[params[i].name] = v } else { extra.append(v) }
        }
        if !extra.isEmpty && !def.usesVarargs {
            throw JinjaError.runtime("\(label) takes not more than \(params.count) argument(s)")
        }
        let kwargs = DictBox()
        for (k, v) in args.keyword {
            if let idx = params.firstIndex(where: { $0.name == k }) {
                if idx < args.positional.count { throw JinjaError.runtime("\(label) got multiple values for argument '\(k)'") }
                scope.vars[k] = v
            } else if def.usesKwargs {
                kwargs[string: k] = v
            } else {
                throw JinjaError.runtime("\(label) takes no keyword argument '\(k)'")
            }
        }
        for p in params where scope.vars[p.name] == nil {
            if let d = p.defaultValue { scope.vars[p.name] = try eval(d, scope) } else {
                scope.vars[p.name] = .undefined("parameter '\(p.name)' was not provided")
            }
        }
        scope.vars["varargs"] = .tuple(extra)
        scope.vars["kwargs"] = .dict(kwargs)
        if let caller = args.caller {
            if !def.usesCaller { throw JinjaError.runtime("\(label) was invoked with a caller but does not use caller()") }
            scope.vars["caller"] = caller
        } else if def.usesCaller && def.name != "caller" {
            scope.vars["caller"] = .undefined("No caller defined")
        }
        do {
            _ = try render(def.body, scope)
        } catch let r as ReturnSignal {
            return r.value
        }
        return .string(out)
    }
}
