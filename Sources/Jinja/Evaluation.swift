/// Expression evaluation: names, operators, attribute and item access, calls, filters and tests.
extension Renderer {
    func lookup(_ name: String, _ scope: Scope) -> Value {
        if let v = scope.lookup(name) { return v }
        if let v = environment.globals[name] { return v }
        return .undefined("'\(name)' is undefined")
    }

    func eval(_ e: Expr, _ scope: Scope) throws -> Value {
        switch e.kind {
        case .literal(let v): return v
        case .name(let n): return lookup(n, scope)
        case .list(let items): return .list(ListBox(try items.map { try eval($0, scope) }))
        case .tuple(let items): return .tuple(try items.map { try eval($0, scope) })
        case .dict(let pairs):
            let d = DictBox()
            for (k, v) in pairs {
                let key = try eval(k, scope)
                guard DictBox.isHashable(key) else { throw fail(.runtime, "unhashable type: '\(key.typeName)'", k.line, k.column) }
                d[key] = try eval(v, scope)
            }
            return .dict(d)
        case .unary(let op, let operand):
            let v = try eval(operand, scope)
            do { return try Operators.unary(op, v) } catch { throw located(error, e.line, e.column) }
        case .binary(let op, let l, let r):
            let a = try eval(l, scope), b = try eval(r, scope)
            do { return try Operators.binary(op, a, b) } catch { throw located(error, e.line, e.column) }
        case .and(let l, let r):
            let a = try eval(l, scope)
            return a.isTruthy ? try eval(r, scope) : a
        case .or(let l, let r):
            let a = try eval(l, scope)
            return a.isTruthy ? a : try eval(r, scope)
        case .not(let x): return .bool(!(try eval(x, scope).isTruthy))
        case .compare(let first, let ops):
            var left = try eval(first, scope)
            for (op, rightExpr) in ops {
                let right = try eval(rightExpr, scope)
                let ok: Bool
                do { ok = try Operators.compare(op, left, right) } catch { throw located(error, rightExpr.line, rightExpr.column) }
                if !ok { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .concat(let items):
            var s = ""
            for item in items { s += try eval(item, scope).pythonString }
            return .string(s)
        case .conditional(let cond, let then, let other):
            if try eval(cond, scope).isTruthy { return try eval(then, scope) }
            if let o = other { return try eval(o, scope) }
            return .undefined("the inline if-expression on line \(e.line) evaluated to false and no else section was defined.")
        case .attribute(let objExpr, let name):
            let obj = try eval(objExpr, scope)
            do { return try Builtins.attribute(obj, name) } catch { throw located(error, e.line, e.column) }
        case .item(let objExpr, let keyExpr):
            let obj = try eval(objExpr, scope)
            let key = try eval(keyExpr, scope)
            do { return try Builtins.item(obj, key) } catch { throw located(error, e.line, e.column) }
        case .slice(let objExpr, let a, let b, let c):
            let obj = try eval(objExpr, scope)
            let start = try a.map { try eval($0, scope) }, stop = try b.map { try eval($0, scope) }, step = try c.map { try eval($0, scope) }
            do { return try Builtins.slice(obj, start, stop, step) } catch { throw located(error, e.line, e.column) }
        case .call(let callee, let argExprs):
            let f = try eval(callee, scope)
            let args = try evalArgs(argExprs, scope)
            return try call(f, args, e.line, e.column, describe: callee)
        case .filter(let valueExpr, let name, let args):
            let v = try eval(valueExpr, scope)
            return try applyFilter(name, v, args, scope, e.line, e.column)
        case .test(let valueExpr, let name, let args, let negated):
            let v = try eval(valueExpr, scope)
            let r = try applyTest(name, v, args, scope, e.line, e.column)
            return .bool(negated ? !r : r)
        }
    }

    func evalArgs(_ a: CallArgs, _ scope: Scope) throws -> Arguments {
        var args = Arguments()
        args.positional = try a.positional.map { try eval($0, scope) }
        args.keyword = try a.keyword.map { ($0.0, try eval($0.1, scope)) }
        if let s = a.star {
            do { args.positional += try Builtins.iterate(try eval(s, scope), strict: true) } catch { throw located(error, s.line, s.column) }
        }
        if let d = a.doubleStar {
            guard case .dict(let box) = try eval(d, scope) else { throw fail(.runtime, "argument after ** must be a mapping", d.line, d.column) }
            for (k, v) in box.entries { args.keyword.append((k.pythonString, v)) }
        }
        return args
    }

    func call(_ f: Value, _ args: Arguments, _ line: Int, _ column: Int, describe callee: Expr) throws -> Value {
        switch f {
        case .callable(let c):
            do { return try c.call(args) } catch let r as ReturnSignal { throw r } catch { throw located(error, line, column) }
        case .undefined(let why):
            throw fail(.undefined, why, line, column)
        case .object(let o as any CallableJinjaObject):
            do { return try o.call(args) } catch let r as ReturnSignal { throw r } catch { throw located(error, line, column) }
        default:
            throw fail(.runtime, "'\(f.typeName)' object is not callable", line, column)
        }
    }

    func applyFilter(_ name: String, _ v: Value, _ argExprs: CallArgs, _ scope: Scope, _ line: Int, _ column: Int) throws -> Value {
        let args = try evalArgs(argExprs, scope)
        return try filter(name, v, args, line, column)
    }

    func filter(_ name: String, _ v: Value, _ args: Arguments, _ line: Int, _ column: Int) throws -> Value {
        do {
            if let f = environment.filters[name] { return try f(v, args) }
            guard let r = try Filters.apply(name, v, args, self, line, column) else {
                throw fail(.syntax, "No filter named '\(name)'.", line, column)
            }
            return r
        } catch let r as ReturnSignal { throw r } catch { throw located(error, line, column) }
    }

    func applyTest(_ name: String, _ v: Value, _ argExprs: CallArgs, _ scope: Scope, _ line: Int, _ column: Int) throws -> Bool {
        let args = try evalArgs(argExprs, scope)
        return try test(name, v, args, line, column)
    }

    func test(_ name: String, _ v: Value, _ args: Arguments, _ line: Int, _ column: Int) throws -> Bool {
        do {
            if let t = environment.tests[name] { return try t(v, args) }
            guard let r = try Tests.apply(name, v, args) else { throw fail(.syntax, "No test named '\(name)'.", line, column) }
            return r
        } catch { throw located(error, line, column) }
    }
}
