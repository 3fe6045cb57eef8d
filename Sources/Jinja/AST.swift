/// An expression node and where it starts.
final class Expr {
    indirect enum Kind {
        case literal(Value)
        case name(String)
        case list([Expr])
        case tuple([Expr])
        case dict([(Expr, Expr)])
        case unary(String, Expr)
        case binary(String, Expr, Expr)
        case and(Expr, Expr)
        case or(Expr, Expr)
        case not(Expr)
        case compare(Expr, [(String, Expr)])
        case concat([Expr])
        case conditional(Expr, Expr, Expr?)
        case attribute(Expr, String)
        case item(Expr, Expr)
        case slice(Expr, Expr?, Expr?, Expr?)
        case call(Expr, CallArgs)
        case filter(Expr, String, CallArgs)
        case test(Expr, String, CallArgs, negated: Bool)
    }
    let kind: Kind
    let line: Int
    let column: Int
    init(_ kind: Kind, _ line: Int, _ column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }
}

/// The arguments written in a call, filter or test.
struct CallArgs {
    var positional: [Expr] = []
    var keyword: [(String, Expr)] = []
    var star: Expr?
    var doubleStar: Expr?
}

/// What `set` and `for` assign to.
indirect enum AssignTarget {
    case name(String)
    case tuple([AssignTarget])
    case attribute(Expr, String)
}

/// A parameter of a macro or call block.
struct Parameter {
    let name: String
    let defaultValue: Expr?
}

/// A macro definition (also used for `{% call %}` bodies).
final class MacroDefinition {
    let name: String
    let parameters: [Parameter]
    let body: [Node]
    let template: String
    let usesCaller: Bool
    let usesVarargs: Bool
    let usesKwargs: Bool
    let line: Int
    let column: Int
    init(name: String, parameters: [Parameter], body: [Node], template: String, usesCaller: Bool, usesVarargs: Bool,
         usesKwargs: Bool, line: Int, column: Int) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.template = template
        self.usesCaller = usesCaller
        self.usesVarargs = usesVarargs
        self.usesKwargs = usesKwargs
        self.line = line
        self.column = column
    }
}

/// A `for` loop.
struct ForLoop {
    let target: AssignTarget
    let iterable: Expr
    let condition: Expr?
    let body: [Node]
    let elseBody: [Node]
    let line: Int
    let column: Int
}

/// A statement or output of a template body.
indirect enum Node {
    case text(String)
    case output(Expr)
    case ifChain([(Expr, [Node])], [Node]?)
    case forLoop(ForLoop)
    case set(AssignTarget, Expr, line: Int, column: Int)
    case setBlock(AssignTarget, [(String, CallArgs, Int, Int)], [Node], line: Int, column: Int)
    case macro(MacroDefinition)
    case callBlock(Expr, MacroDefinition)
    case doExpr(Expr)
    case with([(AssignTarget, Expr)], [Node], line: Int, column: Int)
    case filterBlock([(String, CallArgs, Int, Int)], [Node])
    case breakLoop(line: Int, column: Int)
    case continueLoop(line: Int, column: Int)
}
