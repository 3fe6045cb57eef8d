import Foundation

/// One piece of a parsed model template.
indirect enum TemplateSegment: Sendable {
    case text(String)
    case ref(name: String, location: SourceLocation)
    case source(source: String, table: String, location: SourceLocation)
    case variable(name: String, fallback: ConfigValue?, location: SourceLocation)
    /// `{{ this }}` or `{{ this.schema }}` / `{{ this.name }}` / `{{ this.identifier }}`.
    case this(attribute: String?, location: SourceLocation)
    case ifIncremental(negated: Bool, then: [TemplateSegment], otherwise: [TemplateSegment])
}

/// A template parsed once: its segments plus what the graph needs (refs, sources, `config()` values).
struct ParsedTemplate: Sendable {
    var segments: [TemplateSegment] = []
    /// Values from `{{ config(...) }}` calls, in order (later calls win).
    var config: [(String, ConfigValue)] = []
    var refs: [(name: String, location: SourceLocation)] = []
    var sources: [(source: String, table: String, location: SourceLocation)] = []
}

/// The template subset, listed in every "unsupported" error.
let supportedTemplateSyntax = """
supported: {{ ref('model') }}, {{ source('source', 'table') }}, {{ config(key=value, ...) }}, \
{{ var('name') }} / {{ var('name', default) }}, {{ this }}, \
{% if is_incremental() %} ... {% else %} ... {% endif %}, {# comments #}
"""

/// Parses the static template subset of dbt's Jinja: no general Jinja, no macros.
struct TemplateParser {
    let bytes: [UInt8]
    let file: String
    /// `var()` values used when a `config(...)` argument calls `var`.
    let vars: ConfigValue

    private var pos = 0
    private var line = 1
    private var lineStart = 0
    /// The last column computed (offset and column on the line starting at `columnLineStart`): columns of the tags
    /// of one long line are counted from the previous tag, not from the line's start each time.
    private var columnLineStart = -1
    private var columnOffset = 0
    private var column = 1

    init(text: String, file: String, vars: ConfigValue) {
        self.bytes = Array(text.utf8)
        self.file = file
        self.vars = vars
    }

    /// Parses a whole template.
    static func parse(_ text: String, file: String, vars: ConfigValue) throws -> ParsedTemplate {
        var p = TemplateParser(text: text, file: file, vars: vars)
        var out = ParsedTemplate()
        let (segs, end) = try p.parseBlock(into: &out, depth: 0)
        if let end {
            throw ProjectError("unexpected {% \(end.keyword) %} without {% if %}; \(supportedTemplateSyntax)", at: end.location)
        }
        out.segments = segs
        return out
    }

    private struct BlockEnd { var keyword: String; var location: SourceLocation }

    /// The deepest `{% if %}` nesting, and of lists, dicts and `var()` calls in a tag: deeper input is an error,
    /// not a stack overflow.
    static let maxNesting = 64

    private mutating func location(at offset: Int, line: Int, lineStart: Int) -> SourceLocation {
        if columnLineStart != lineStart || columnOffset > offset {
            columnLineStart = lineStart
            columnOffset = lineStart
            column = 1
        }
        // Unicode scalars are the bytes that do not continue a UTF-8 sequence.
        for b in bytes[columnOffset..<offset] where b & 0xC0 != 0x80 { column += 1 }
        columnOffset = offset
        return SourceLocation(file: file, line: line, column: column)
    }

    private mutating func advance(to newPos: Int) {
        var i = pos
        while i < newPos {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }
        pos = newPos
    }

    /// Parses segments until end of input or a block tag (`else`/`endif`), which it returns.
    private mutating func parseBlock(into out: inout ParsedTemplate, depth: Int) throws -> ([TemplateSegment], BlockEnd?) {
        var segs: [TemplateSegment] = []
        var text: [UInt8] = []
        var trimNextLeading = false
        func flush() {
            if !text.isEmpty { segs.append(.text(String(decoding: text, as: UTF8.self))); text.removeAll() }
        }
        while pos < bytes.count {
            let b = bytes[pos]
            guard b == UInt8(ascii: "{"), pos + 1 < bytes.count,
                  [UInt8(ascii: "{"), UInt8(ascii: "%"), UInt8(ascii: "#")].contains(bytes[pos + 1]) else {
                if trimNextLeading, b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                    advance(to: pos + 1); continue
                }
                trimNextLeading = false
                text.append(b)
                if b == 0x0A { line += 1; lineStart = pos + 1 }
                pos += 1
                continue
            }
            trimNextLeading = false
            let kind = bytes[pos + 1]
            let tagLoc = location(at: pos, line: line, lineStart: lineStart)
            let close: [UInt8] = kind == UInt8(ascii: "{") ? Array("}}".utf8) : (kind == UInt8(ascii: "%") ? Array("%}".utf8) : Array("#}".utf8))
            guard let closeAt = find(close, from: pos + 2) else {
                let opener = String(decoding: bytes[pos..<pos + 2], as: UTF8.self)
                throw ProjectError("unclosed \(opener): missing \(String(decoding: close, as: UTF8.self))", at: tagLoc)
            }
            var innerStart = pos + 2
            var innerEnd = closeAt
            if kind != UInt8(ascii: "#") {
                if innerStart < innerEnd, bytes[innerStart] == UInt8(ascii: "-") {
                    innerStart += 1
                    while let last = text.last, last == 0x20 || last == 0x0A || last == 0x09 || last == 0x0D { text.removeLast() }
                }
                if innerEnd > innerStart, bytes[innerEnd - 1] == UInt8(ascii: "-") {
                    innerEnd -= 1
                    trimNextLeading = true
                }
            }
            let inner = String(decoding: bytes[innerStart..<innerEnd], as: UTF8.self)
            let innerLoc = tagLoc
            advance(to: closeAt + 2)
            if kind == UInt8(ascii: "#") { continue }
            flush()
            if kind == UInt8(ascii: "{") {
                if let seg = try expressionTag(inner, at: innerLoc, into: &out) { segs.append(seg) }
                continue
            }
            // {% ... %}
            var lexer = ExpressionLexer(inner, location: innerLoc)
            let tokens = try lexer.tokens()
            let words = tokens.map(\.text)
            switch words.first {
            case "if":
                guard depth < Self.maxNesting else {
                    throw ProjectError("{% if %} nested deeper than \(Self.maxNesting) levels", at: innerLoc)
                }
                let negated: Bool
                if words == ["if", "is_incremental", "(", ")"] { negated = false }
                else if words == ["if", "not", "is_incremental", "(", ")"] { negated = true }
                else {
                    throw ProjectError("unsupported condition `{% \(inner.trimmingCharacters(in: .whitespaces)) %}`: only {% if is_incremental() %} and {% if not is_incremental() %}; \(supportedTemplateSyntax)", at: innerLoc)
                }
                let (thenSegs, end1) = try parseBlock(into: &out, depth: depth + 1)
                guard let end1 else { throw ProjectError("{% if %} is never closed with {% endif %}", at: innerLoc) }
                var elseSegs: [TemplateSegment] = []
                if end1.keyword == "else" {
                    let (e, end2) = try parseBlock(into: &out, depth: depth + 1)
                    guard let end2, end2.keyword == "endif" else {
                        throw ProjectError("{% if %} is never closed with {% endif %}", at: innerLoc)
                    }
                    elseSegs = e
                }
                segs.append(.ifIncremental(negated: negated, then: thenSegs, otherwise: elseSegs))
            case "else" where words.count == 1, "endif" where words.count == 1:
                if depth == 0 {
                    throw ProjectError("unexpected {% \(words[0]) %} without {% if %}", at: innerLoc)
                }
                return (segs, BlockEnd(keyword: words[0], location: innerLoc))
            default:
                throw ProjectError("unsupported template tag `{% \(inner.trimmingCharacters(in: .whitespaces)) %}`; \(supportedTemplateSyntax)", at: innerLoc)
            }
        }
        flush()
        return (segs, nil)
    }

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard needle.count == 2 else { return nil }
        var i = from
        while i + 1 < bytes.count {
            if bytes[i] == needle[0], bytes[i + 1] == needle[1] { return i }
            i += 1
        }
        return nil
    }

    /// Parses `{{ expression }}`; returns the segment to output, or nil for `config(...)`.
    private func expressionTag(_ inner: String, at loc: SourceLocation, into out: inout ParsedTemplate) throws -> TemplateSegment? {
        var lexer = ExpressionLexer(inner, location: loc)
        var p = ExpressionParser(tokens: try lexer.tokens(), location: loc, vars: vars, source: inner)
        let expr = try p.parseTopLevel()
        switch expr {
        case .call("ref", let args, let kwargs):
            guard kwargs.isEmpty, (1...2).contains(args.count), let name = args.last?.stringValue else {
                throw ProjectError("ref() takes a model name: {{ ref('model') }}", at: loc)
            }
            out.refs.append((name, loc))
            return .ref(name: name, location: loc)
        case .call("source", let args, let kwargs):
            guard kwargs.isEmpty, args.count == 2, let s = args[0].stringValue, let t = args[1].stringValue else {
                throw ProjectError("source() takes a source and a table name: {{ source('source', 'table') }}", at: loc)
            }
            out.sources.append((s, t, loc))
            return .source(source: s, table: t, location: loc)
        case .call("config", let args, let kwargs):
            guard args.isEmpty else { throw ProjectError("config() takes keyword arguments only: {{ config(materialized='table') }}", at: loc) }
            out.config.append(contentsOf: kwargs)
            return nil
        case .call("var", let args, let kwargs):
            guard kwargs.isEmpty, (1...2).contains(args.count), let name = args[0].stringValue else {
                throw ProjectError("var() takes a name and an optional default: {{ var('name', 0) }}", at: loc)
            }
            return .variable(name: name, fallback: args.count == 2 ? args[1] : nil, location: loc)
        case .name("this", let attr):
            if let attr, !["schema", "name", "identifier", "table"].contains(attr) {
                throw ProjectError("unsupported attribute this.\(attr); use this, this.schema or this.name", at: loc)
            }
            return .this(attribute: attr, location: loc)
        case .call("is_incremental", _, _):
            throw ProjectError("is_incremental() is only supported as {% if is_incremental() %}", at: loc)
        default:
            throw ProjectError("unsupported template expression `{{ \(inner.trimmingCharacters(in: .whitespaces)) }}`; \(supportedTemplateSyntax)", at: loc)
        }
    }
}

/// A token inside `{{ }}` or `{% %}`.
struct ExpressionToken: Sendable {
    enum Kind: Sendable { case identifier, string, number, punct }
    var kind: Kind
    var text: String
    var offset: Int
}

/// Splits the inside of a template tag into identifiers, literals and punctuation.
struct ExpressionLexer {
    let scalars: [Unicode.Scalar]
    let location: SourceLocation

    init(_ text: String, location: SourceLocation) {
        self.scalars = Array(text.unicodeScalars)
        self.location = location
    }

    mutating func tokens() throws -> [ExpressionToken] {
        var out: [ExpressionToken] = []
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\n" || c == "\t" || c == "\r" { i += 1; continue }
            if c == "'" || c == "\"" {
                var s = String.UnicodeScalarView()
                var j = i + 1
                var closed = false
                while j < scalars.count {
                    if scalars[j] == "\\", j + 1 < scalars.count { s.append(scalars[j + 1]); j += 2; continue }
                    if scalars[j] == c { closed = true; break }
                    s.append(scalars[j]); j += 1
                }
                guard closed else { throw ProjectError("unterminated string literal in template tag", at: location) }
                out.append(ExpressionToken(kind: .string, text: String(s), offset: i))
                i = j + 1
                continue
            }
            if c.properties.isAlphabetic || c == "_" {
                var j = i
                while j < scalars.count, scalars[j].properties.isAlphabetic || scalars[j] == "_" || ("0"..."9").contains(scalars[j]) { j += 1 }
                out.append(ExpressionToken(kind: .identifier, text: String(String.UnicodeScalarView(scalars[i..<j])), offset: i))
                i = j
                continue
            }
            if ("0"..."9").contains(c) || (c == "-" && i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1])) {
                var j = i + 1
                while j < scalars.count, ("0"..."9").contains(scalars[j]) || scalars[j] == "." || scalars[j] == "e" || scalars[j] == "E" { j += 1 }
                out.append(ExpressionToken(kind: .number, text: String(String.UnicodeScalarView(scalars[i..<j])), offset: i))
                i = j
                continue
            }
            if "()[]{},:=.".unicodeScalars.contains(c) {
                out.append(ExpressionToken(kind: .punct, text: String(c), offset: i))
                i += 1
                continue
            }
            throw ProjectError("unexpected character '\(c)' in template tag; \(supportedTemplateSyntax)", at: location)
        }
        return out
    }
}

/// An expression of the template subset.
indirect enum TemplateExpression {
    case literal(ConfigValue)
    case name(String, attribute: String?)
    case call(String, [ConfigValue], [(String, ConfigValue)])
}

/// Parses one call or name with literal arguments (strings, numbers, booleans, None, lists, dicts, `var()`).
struct ExpressionParser {
    let tokens: [ExpressionToken]
    let location: SourceLocation
    let vars: ConfigValue
    let source: String
    var i = 0
    /// How deep the value being parsed is nested (lists, dicts, `var()` calls).
    private var nesting = 0

    init(tokens: [ExpressionToken], location: SourceLocation, vars: ConfigValue, source: String) {
        self.tokens = tokens
        self.location = location
        self.vars = vars
        self.source = source
    }

    private func fail(_ what: String) -> ProjectError {
        ProjectError("\(what) in `{{ \(source.trimmingCharacters(in: .whitespaces)) }}`; \(supportedTemplateSyntax)", at: location)
    }

    private var peek: ExpressionToken? { i < tokens.count ? tokens[i] : nil }

    private mutating func expect(_ text: String) throws {
        guard let t = peek, t.kind == .punct, t.text == text else { throw fail("expected '\(text)'") }
        i += 1
    }

    mutating func parseTopLevel() throws -> TemplateExpression {
        guard let first = peek, first.kind == .identifier else { throw fail("expected a function call") }
        i += 1
        var result: TemplateExpression
        if let t = peek, t.text == "(" {
            let (args, kwargs) = try parseArguments()
            result = .call(first.text, args, kwargs)
        } else if let t = peek, t.text == "." {
            i += 1
            guard let attr = peek, attr.kind == .identifier else { throw fail("expected an attribute name") }
            i += 1
            result = .name(first.text, attribute: attr.text)
        } else {
            result = .name(first.text, attribute: nil)
        }
        if i != tokens.count { throw fail("unexpected '\(tokens[i].text)'") }
        return result
    }

    private mutating func parseArguments() throws -> ([ConfigValue], [(String, ConfigValue)]) {
        try expect("(")
        var args: [ConfigValue] = []
        var kwargs: [(String, ConfigValue)] = []
        while let t = peek, t.text != ")" || t.kind != .punct {
            if t.kind == .identifier, i + 1 < tokens.count, tokens[i + 1].text == "=", tokens[i + 1].kind == .punct {
                i += 2
                kwargs.append((t.text, try parseValue()))
            } else {
                guard kwargs.isEmpty else { throw fail("positional argument after keyword argument") }
                args.append(try parseValue())
            }
            if let c = peek, c.kind == .punct, c.text == "," { i += 1 } else { break }
        }
        try expect(")")
        return (args, kwargs)
    }

    private mutating func parseValue() throws -> ConfigValue {
        guard let t = peek else { throw fail("expected a value") }
        guard nesting < TemplateParser.maxNesting else { throw fail("value nested deeper than \(TemplateParser.maxNesting) levels") }
        nesting += 1
        defer { nesting -= 1 }
        i += 1
        switch t.kind {
        case .string: return .string(t.text)
        case .number:
            if let n = Int(t.text) { return .int(n) }
            if let d = Double(t.text) { return .double(d) }
            throw fail("bad number '\(t.text)'")
        case .identifier:
            switch t.text {
            case "true", "True": return .bool(true)
            case "false", "False": return .bool(false)
            case "none", "None": return .null
            case "var":
                let (args, kwargs) = try parseArguments()
                guard kwargs.isEmpty, (1...2).contains(args.count), let name = args[0].stringValue else { throw fail("bad var() call") }
                if let v = vars[name] { return v }
                if args.count == 2 { return args[1] }
                throw ProjectError("required var '\(name)' is not set (dbt_project.yml vars or --vars)", at: location)
            default:
                throw fail("unsupported name '\(t.text)'")
            }
        case .punct:
            if t.text == "[" {
                var items: [ConfigValue] = []
                while let n = peek, !(n.kind == .punct && n.text == "]") {
                    items.append(try parseValue())
                    if let c = peek, c.kind == .punct, c.text == "," { i += 1 } else { break }
                }
                try expect("]")
                return .list(items)
            }
            if t.text == "{" {
                var pairs: [(String, ConfigValue)] = []
                while let n = peek, !(n.kind == .punct && n.text == "}") {
                    guard n.kind == .string || n.kind == .identifier else { throw fail("expected a dictionary key") }
                    i += 1
                    try expect(":")
                    pairs.append((n.text, try parseValue()))
                    if let c = peek, c.kind == .punct, c.text == "," { i += 1 } else { break }
                }
                try expect("}")
                return .dict(pairs)
            }
            throw fail("unexpected '\(t.text)'")
        }
    }
}
