import Foundation
import Jinja

/// `modules.re`: the part of Python's `re` that dbt projects and packages call (`sub`, `match`, `search`, `fullmatch`,
/// `findall`, `split`, `escape`), on Foundation's regular expressions.
///
/// Patterns use the syntax both engines share (classes, quantifiers, anchors, groups). In a replacement, `\1` and
/// `\g<1>` name groups as in Python (named groups are an error). `flags` takes `re.IGNORECASE` (`re.I`), `re.MULTILINE` (`re.M`) and `re.DOTALL` (`re.S`).
enum RegexModule {
    static let ignoreCase = 2, multiline = 8, dotAll = 16

    static var module: Value {
        .object(AttributeObject(typeName: "module", [
            ("sub", .function("sub") { try sub($0) }),
            ("match", .function("match") { try find($0, "match", anchored: true, whole: false) }),
            ("fullmatch", .function("fullmatch") { try find($0, "fullmatch", anchored: true, whole: true) }),
            ("search", .function("search") { try find($0, "search", anchored: false, whole: false) }),
            ("findall", .function("findall") { try findall($0) }),
            ("split", .function("split") { try split($0) }),
            ("escape", .function("escape") { args in
                .string(NSRegularExpression.escapedPattern(for: try text(args, 0, "pattern", "escape")))
            }),
            ("IGNORECASE", .int(ignoreCase)), ("I", .int(ignoreCase)),
            ("MULTILINE", .int(multiline)), ("M", .int(multiline)),
            ("DOTALL", .int(dotAll)), ("S", .int(dotAll)),
        ]))
    }

    private static func text(_ args: Arguments, _ i: Int, _ name: String, _ fn: String) throws -> String {
        guard let v = args.value(i, name) else { throw JinjaError.runtime("re.\(fn)() missing argument '\(name)'") }
        guard case .string(let s) = v else { throw JinjaError.runtime("re.\(fn)(): '\(name)' must be a string, not \(v.typeName)") }
        return s
    }

    private static func regex(_ args: Arguments, _ fn: String, flagsAt: Int) throws -> NSRegularExpression {
        let pattern = try text(args, 0, "pattern", fn)
        var options: NSRegularExpression.Options = []
        if case .int(let f)? = args.value(flagsAt, "flags") {
            if f & ignoreCase != 0 { options.insert(.caseInsensitive) }
            if f & multiline != 0 { options.insert(.anchorsMatchLines) }
            if f & dotAll != 0 { options.insert(.dotMatchesLineSeparators) }
        }
        do { return try NSRegularExpression(pattern: pattern, options: options) } catch {
            throw JinjaError.runtime("re.\(fn)(): invalid pattern \(Value.string(pattern).pythonRepr)")
        }
    }

    /// A piece of a Python replacement string: literal text, or a group's text.
    enum ReplacementPiece: Equatable {
        case text(String)
        case group(Int)
    }

    /// Parses Python's replacement syntax: `\1`, `\g<1>` (group numbers), `\n`, `\t`, `\\`; other text is literal.
    static func replacement(_ repl: String) throws -> [ReplacementPiece] {
        var out: [ReplacementPiece] = []
        var literal = ""
        func group(_ n: Int) { if !literal.isEmpty { out.append(.text(literal)); literal = "" }; out.append(.group(n)) }
        var chars = Array(repl)[...]
        while let c = chars.popFirst() {
            guard c == "\\", let n = chars.first else { literal.append(c); continue }
            if n.isNumber {
                var digits = ""
                while let d = chars.first, d.isNumber, digits.count < 2 { digits.append(d); chars.removeFirst() }
                group(Int(digits)!)
            } else if n == "g" {
                chars.removeFirst()
                guard chars.first == "<", let close = chars.firstIndex(of: ">"),
                      let g = Int(String(chars[chars.index(after: chars.startIndex)..<close])) else {
                    throw JinjaError.runtime("re.sub(): only numbered groups are supported in \\g<...>")
                }
                group(g)
                chars = chars[chars.index(after: close)...]
            } else {
                chars.removeFirst()
                switch n {
                case "n": literal.append("\n")
                case "t": literal.append("\t")
                case "\\": literal.append("\\")
                default: literal.append("\\"); literal.append(n)
                }
            }
        }
        if !literal.isEmpty { out.append(.text(literal)) }
        return out
    }

    private static func sub(_ args: Arguments) throws -> Value {
        let re = try regex(args, "sub", flagsAt: 4)
        let repl = try text(args, 1, "repl", "sub")
        let s = try text(args, 2, "string", "sub")
        var count = 0
        if case .int(let c)? = args.value(3, "count") { count = c }
        let ns = s as NSString
        var matches = re.matches(in: s, range: NSRange(location: 0, length: ns.length))
        if count > 0 { matches = Array(matches.prefix(count)) }
        let pieces = try replacement(repl)
        var out = ""
        var last = 0
        for m in matches {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            for piece in pieces {
                switch piece {
                case .text(let t): out += t
                case .group(let g):
                    guard g < m.numberOfRanges else { throw JinjaError.runtime("re.sub(): invalid group reference \(g)") }
                    if m.range(at: g).location != NSNotFound { out += ns.substring(with: m.range(at: g)) }
                }
            }
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return .string(out)
    }

    private static func find(_ args: Arguments, _ fn: String, anchored: Bool, whole: Bool) throws -> Value {
        let re = try regex(args, fn, flagsAt: 2)
        let s = try text(args, 1, "string", fn)
        let length = (s as NSString).length
        let options: NSRegularExpression.MatchingOptions = anchored ? [.anchored] : []
        guard let m = re.firstMatch(in: s, options: options, range: NSRange(location: 0, length: length)),
              !whole || m.range.length == length else { return .none }
        return .object(MatchObject(match: m, in: s))
    }

    private static func findall(_ args: Arguments) throws -> Value {
        let re = try regex(args, "findall", flagsAt: 2)
        let s = try text(args, 1, "string", "findall")
        let ns = s as NSString
        let items: [Value] = re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { m in
            func group(_ i: Int) -> Value { m.range(at: i).location == NSNotFound ? .string("") : .string(ns.substring(with: m.range(at: i))) }
            switch re.numberOfCaptureGroups {
            case 0: return group(0)
            case 1: return group(1)
            default: return .tuple((1...re.numberOfCaptureGroups).map(group))
            }
        }
        return .array(items)
    }

    private static func split(_ args: Arguments) throws -> Value {
        let re = try regex(args, "split", flagsAt: 3)
        let s = try text(args, 1, "string", "split")
        var maxsplit = 0
        if case .int(let c)? = args.value(2, "maxsplit") { maxsplit = c }
        let ns = s as NSString
        var matches = re.matches(in: s, range: NSRange(location: 0, length: ns.length))
        if maxsplit > 0 { matches = Array(matches.prefix(maxsplit)) }
        var parts: [Value] = []
        var last = 0
        for m in matches {
            parts.append(.string(ns.substring(with: NSRange(location: last, length: m.range.location - last))))
            for i in stride(from: 1, through: re.numberOfCaptureGroups, by: 1) {
                parts.append(m.range(at: i).location == NSNotFound ? .none : .string(ns.substring(with: m.range(at: i))))
            }
            last = m.range.location + m.range.length
        }
        parts.append(.string(ns.substring(from: last)))
        return .array(parts)
    }
}

/// A match of `re.match` / `re.search`: `group(n)`, `groups()`, `start()`, `end()`, `span()`.
final class MatchObject: JinjaObject {
    let match: NSTextCheckingResult
    let string: NSString
    init(match: NSTextCheckingResult, in s: String) {
        self.match = match
        self.string = s as NSString
    }
    var typeName: String { "Match" }
    var stringValue: String { "<re.Match object; span=(\(match.range.location), \(match.range.location + match.range.length)), match=\(group(0).pythonRepr)>" }

    private func group(_ i: Int) -> Value {
        guard i >= 0, i < match.numberOfRanges, match.range(at: i).location != NSNotFound else { return .none }
        return .string(string.substring(with: match.range(at: i)))
    }

    func attribute(_ name: String) -> Value? {
        func index(_ args: Arguments) -> Int { if case .int(let i)? = args.positional.first { return i } else { return 0 } }
        switch name {
        case "group": return .function("group") { [self] args in group(index(args)) }
        case "groups": return .function("groups") { [self] _ in
            .tuple(match.numberOfRanges > 1 ? (1..<match.numberOfRanges).map(group) : []) }
        case "start": return .function("start") { [self] args in .int(match.range(at: index(args)).location) }
        case "end": return .function("end") { [self] args in
            let r = match.range(at: index(args)); return .int(r.location + r.length) }
        case "span": return .function("span") { [self] args in
            let r = match.range(at: index(args)); return .tuple([.int(r.location), .int(r.location + r.length)]) }
        default: return nil
        }
    }
}
