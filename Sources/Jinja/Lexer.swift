/// A token of a template: literal text, tag delimiters, and the tokens inside tags.
enum TokenKind: Equatable {
    case data(String)
    case variableBegin, variableEnd, blockBegin, blockEnd
    case name(String)
    case string(String)
    case integer(Int)
    case float(Double)
    case op(String)
    case eof
}

/// A token and where it starts (1-based line and byte column).
struct Token {
    let kind: TokenKind
    let line: Int
    let column: Int
}

/// Splits a template into tokens, working on its UTF-8 bytes, with Jinja's default syntax and whitespace rules
/// (`{%-`/`-%}` strip, no `trim_blocks`/`lstrip_blocks`, one trailing newline dropped, `\r\n` read as `\n`).
struct Lexer {
    private let bytes: [UInt8]
    private let name: String
    private var pos = 0
    private var line = 1
    private var lineStart = 0
    private var tokens: [Token] = []

    init(source: String, name: String) {
        var b = Array(source.utf8)
        if b.contains(13) { b = Lexer.normalizeNewlines(b) }
        if b.last == 10 { b.removeLast() }
        self.bytes = b
        self.name = name
    }

    private static func normalizeNewlines(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == 13 {
                out.append(10)
                if i + 1 < b.count && b[i + 1] == 10 { i += 1 }
            } else { out.append(b[i]) }
            i += 1
        }
        return out
    }

    private func error(_ message: String, line: Int? = nil, column: Int? = nil) -> JinjaError {
        JinjaError(.syntax, message, template: name, line: line ?? self.line, column: column ?? (pos - lineStart + 1))
    }

    /// Moves to `newPos`, counting lines.
    private mutating func advance(to newPos: Int) {
        var i = pos
        while i < newPos {
            if bytes[i] == 10 { line += 1; lineStart = i + 1 }
            i += 1
        }
        pos = newPos
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 11 || c == 12 }

    private func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }

    /// The tokens of the whole template.
    mutating func tokenize() throws -> [Token] {
        var stripNext = false
        let n = bytes.count
        while pos < n {
            // Find the next tag start.
            var i = pos
            var tagAt = -1
            while i + 1 < n {
                if bytes[i] == 123 {
                    let c = bytes[i + 1]
                    if c == 123 || c == 37 || c == 35 { tagAt = i; break }
                }
                i += 1
            }
            let dataEnd = tagAt < 0 ? n : tagAt
            var start = pos
            var end = dataEnd
            if stripNext { while start < end && Lexer.isSpace(bytes[start]) { start += 1 } }
            if tagAt >= 0 && tagAt + 2 < n && bytes[tagAt + 2] == 45 {  // `{{-`, `{%-`, `{#-`
                while end > start && Lexer.isSpace(bytes[end - 1]) { end -= 1 }
            }
            stripNext = false
            if end > start { tokens.append(Token(kind: .data(text(start, end)), line: line, column: pos - lineStart + 1)) }
            advance(to: dataEnd)
            if tagAt < 0 { break }
            let kind = bytes[tagAt + 1]
            let tagLine = line, tagColumn = pos - lineStart + 1
            var p = tagAt + 2
            if p < n && (bytes[p] == 45 || bytes[p] == 43) { p += 1 }
            if kind == 35 {  // comment
                guard let close = find("#}", from: p) else { throw error("Missing end of comment tag", line: tagLine, column: tagColumn) }
                stripNext = close > p && bytes[close - 1] == 45
                advance(to: close + 2)
                continue
            }
            if kind == 37, let rawEnd = try rawBlock(from: p, tagLine: tagLine, tagColumn: tagColumn) {
                stripNext = rawEnd
                continue
            }
            advance(to: p)
            tokens.append(Token(kind: kind == 123 ? .variableBegin : .blockBegin, line: tagLine, column: tagColumn))
            stripNext = try tagTokens(block: kind == 37, tagLine: tagLine, tagColumn: tagColumn)
        }
        tokens.append(Token(kind: .eof, line: line, column: pos - lineStart + 1))
        return tokens
    }

    private func find(_ s: StaticString, from: Int) -> Int? {
        let a = s.utf8Start[0], b = s.utf8Start[1]
        var i = from
        while i + 1 < bytes.count {
            if bytes[i] == a && bytes[i + 1] == b { return i }
            i += 1
        }
        return nil
    }

    /// Matches `raw %}` at `p` (after `{%` and an optional `-`); if so, emits the raw text and returns whether the
    /// `endraw` tag strips what follows.
    private mutating func rawBlock(from p: Int, tagLine: Int, tagColumn: Int) throws -> Bool? {
        var q = p
        while q < bytes.count && Lexer.isSpace(bytes[q]) { q += 1 }
        guard matchWord("raw", at: q) else { return nil }
        q += 3
        while q < bytes.count && Lexer.isSpace(bytes[q]) { q += 1 }
        var stripStart = false
        if q < bytes.count && bytes[q] == 45 { stripStart = true; q += 1 }
        guard q + 1 < bytes.count, bytes[q] == 37, bytes[q + 1] == 125 else { return nil }
        q += 2
        if stripStart { while q < bytes.count && Lexer.isSpace(bytes[q]) { q += 1 } }
        // Find `{%[-+]? endraw [-]?%}`.
        var i = q
        while let open = find("{%", from: i) {
            var r = open + 2
            var stripBefore = false
            if r < bytes.count && (bytes[r] == 45 || bytes[r] == 43) { stripBefore = bytes[r] == 45; r += 1 }
            while r < bytes.count && Lexer.isSpace(bytes[r]) { r += 1 }
            if matchWord("endraw", at: r) {
                r += 6
                while r < bytes.count && Lexer.isSpace(bytes[r]) { r += 1 }
                var stripAfter = false
                if r < bytes.count && bytes[r] == 45 { stripAfter = true; r += 1 }
                if r + 1 < bytes.count && bytes[r] == 37 && bytes[r + 1] == 125 {
                    var end = open
                    if stripBefore { while end > q && Lexer.isSpace(bytes[end - 1]) { end -= 1 } }
                    advance(to: q)
                    if end > q { tokens.append(Token(kind: .data(text(q, end)), line: line, column: pos - lineStart + 1)) }
                    advance(to: r + 2)
                    return stripAfter
                }
            }
            i = open + 2
        }
        throw error("Missing end of raw directive", line: tagLine, column: tagColumn)
    }

    private func matchWord(_ w: StaticString, at p: Int) -> Bool {
        let count = w.utf8CodeUnitCount
        guard p + count <= bytes.count else { return false }
        for k in 0..<count where bytes[p + k] != w.utf8Start[k] { return false }
        if p + count < bytes.count {
            let c = bytes[p + count]
            if Lexer.isNameByte(c) { return false }
        }
        return true
    }

    private static func isNameStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c >= 128 }
    private static func isNameByte(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 48 && c <= 57) }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// Tokens inside `{{ }}` or `{% %}` up to the balanced end delimiter; returns whether it was `-}}`/`-%}`.
    private mutating func tagTokens(block: Bool, tagLine: Int, tagColumn: Int) throws -> Bool {
        let n = bytes.count
        let closer: UInt8 = block ? 37 : 125
        var stack: [UInt8] = []
        while true {
            while pos < n && Lexer.isSpace(bytes[pos]) { advance(to: pos + 1) }
            guard pos < n else {
                throw error("unexpected end of template, expected '\(block ? "end of statement block" : "end of print statement")'", line: tagLine, column: tagColumn)
            }
            let c = bytes[pos]
            let col = pos - lineStart + 1
            if stack.isEmpty {
                if c == closer && pos + 1 < n && bytes[pos + 1] == 125 {
                    tokens.append(Token(kind: block ? .blockEnd : .variableEnd, line: line, column: col))
                    advance(to: pos + 2)
                    return false
                }
                if c == 45 && pos + 2 < n && bytes[pos + 1] == closer && bytes[pos + 2] == 125 {
                    tokens.append(Token(kind: block ? .blockEnd : .variableEnd, line: line, column: col))
                    advance(to: pos + 3)
                    return true
                }
                if c == 43 && block && pos + 2 < n && bytes[pos + 1] == 37 && bytes[pos + 2] == 125 {
                    tokens.append(Token(kind: .blockEnd, line: line, column: col))
                    advance(to: pos + 3)
                    return false
                }
            }
            if Lexer.isNameStart(c) {
                var e = pos + 1
                while e < n && Lexer.isNameByte(bytes[e]) { e += 1 }
                tokens.append(Token(kind: .name(text(pos, e)), line: line, column: col))
                advance(to: e)
            } else if Lexer.isDigit(c) {
                try number(col)
            } else if c == 39 || c == 34 {
                try string(quote: c, col)
            } else {
                try op(&stack, col)
            }
        }
    }

    private mutating func number(_ col: Int) throws {
        let n = bytes.count
        var e = pos
        func digits() { while e < n && (Lexer.isDigit(bytes[e]) || (bytes[e] == 95 && e + 1 < n && Lexer.isDigit(bytes[e + 1]))) { e += 1 } }
        let afterDot: Bool = { if case .op(".")? = tokens.last?.kind { return true } else { return false } }()
        if bytes[pos] == 48, pos + 1 < n, [UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "b"), UInt8(ascii: "X"), UInt8(ascii: "O"), UInt8(ascii: "B")].contains(bytes[pos + 1]) {
            let radix: Int = bytes[pos + 1] | 32 == 120 ? 16 : (bytes[pos + 1] | 32 == 111 ? 8 : 2)
            e = pos + 2
            while e < n && (Lexer.isNameByte(bytes[e])) { e += 1 }
            let body = text(pos + 2, e).replacing("_", with: "")
            guard let v = Int(body, radix: radix) else { throw error("invalid integer literal '\(text(pos, e))'") }
            tokens.append(Token(kind: .integer(v), line: line, column: col))
            advance(to: e)
            return
        }
        digits()
        var isFloat = false
        if !afterDot && e + 1 < n && bytes[e] == 46 && Lexer.isDigit(bytes[e + 1]) {
            isFloat = true
            e += 1
            digits()
        }
        if !afterDot && e < n && (bytes[e] == 101 || bytes[e] == 69) {
            var f = e + 1
            if f < n && (bytes[f] == 43 || bytes[f] == 45) { f += 1 }
            if f < n && Lexer.isDigit(bytes[f]) {
                isFloat = true
                e = f
                digits()
            }
        }
        let t = text(pos, e).replacing("_", with: "")
        if isFloat {
            guard let d = Double(t) else { throw error("invalid float literal '\(t)'") }
            tokens.append(Token(kind: .float(d), line: line, column: col))
        } else {
            guard let v = Int(t) else { throw error("integer literal '\(t)' is too large") }
            tokens.append(Token(kind: .integer(v), line: line, column: col))
        }
        advance(to: e)
    }

    private mutating func string(quote: UInt8, _ col: Int) throws {
        let n = bytes.count
        var out: [UInt8] = []
        var e = pos + 1
        let startLine = line
        while true {
            guard e < n else { throw error("unexpected end of string", line: startLine, column: col) }
            let c = bytes[e]
            if c == quote { break }
            if c == 92 && e + 1 < n {
                let d = bytes[e + 1]
                e += 2
                switch d {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(d)
                case 10: break
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let len = d == UInt8(ascii: "x") ? 2 : (d == UInt8(ascii: "u") ? 4 : 8)
                    guard e + len <= n, let v = UInt32(text(e, e + len), radix: 16), let scalar = Unicode.Scalar(v) else {
                        throw error("invalid escape in string literal")
                    }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    e += len
                default: out.append(92); out.append(d)
                }
                continue
            }
            out.append(c)
            e += 1
        }
        tokens.append(Token(kind: .string(String(decoding: out, as: UTF8.self)), line: line, column: col))
        advance(to: e + 1)
    }

    /// Whether `a` then `b` spell a two-character operator: `//`, `**`, `==`, `!=`, `<=`, `>=`.
    private static func isTwoCharOp(_ a: UInt8, _ b: UInt8) -> Bool {
        switch (a, b) {
        case (47, 47), (42, 42), (61, 61), (33, 61), (60, 61), (62, 61): return true
        default: return false
        }
    }

    /// Whether `c` is one of `+-/*%~[](){}<>=.:|,;`.
    private static func isOneCharOp(_ c: UInt8) -> Bool {
        switch c {
        case 43, 45, 47, 42, 37, 126, 91, 93, 40, 41, 123, 125, 60, 62, 61, 46, 58, 124, 44, 59: return true
        default: return false
        }
    }

    private mutating func op(_ stack: inout [UInt8], _ col: Int) throws {
        let c = bytes[pos]
        if pos + 1 < bytes.count, Lexer.isTwoCharOp(c, bytes[pos + 1]) {
            tokens.append(Token(kind: .op(text(pos, pos + 2)), line: line, column: col))
            advance(to: pos + 2)
            return
        }
        guard Lexer.isOneCharOp(c) else { throw error("unexpected char '\(text(pos, pos + 1))'") }
        switch c {
        case 40: stack.append(41)
        case 91: stack.append(93)
        case 123: stack.append(125)
        case 41, 93, 125:
            guard let top = stack.popLast() else { throw error("unexpected '\(Character(Unicode.Scalar(c)))'") }
            if top != c { throw error("unexpected '\(Character(Unicode.Scalar(c)))', expected '\(Character(Unicode.Scalar(top)))'") }
        default: break
        }
        tokens.append(Token(kind: .op(text(pos, pos + 1)), line: line, column: col))
        advance(to: pos + 1)
    }
}
