import PostgresClient
import Foundation

/// A number read from an export, kept exactly: its text as written and its decimal value.
///
/// Only plain decimals are numbers (`12`, `1003.0`, `.5`): no thousands separators (`1,050`), no
/// locale commas, no exponents (see ``FieldParsing/decimal(_:)``). Empty means unknown, never 0.
struct Quantity: Equatable, Sendable {
    let text: String
    let value: Decimal

    /// The number in `text` (trimmed), nil when empty; throws when it is not a plain decimal.
    static func read(_ text: String) throws(NotANumber) -> Quantity? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        var copy = t
        let ok = copy.withUTF8 { FieldParsing.decimal($0) != nil }
        guard ok, let v = Decimal(string: t.hasPrefix("+") ? String(t.dropFirst()) : t, locale: Locale(identifier: "en_US_POSIX"))
        else { throw NotANumber(text: t) }
        return Quantity(text: t, value: v)
    }

    /// A quantity made from a computed value, written with at least `scale` decimals (a sum keeps the
    /// scale of its parts, as PostgreSQL's `numeric` addition does: 30.0 + 50.0 is `80.0`).
    init(_ value: Decimal, scale: Int = 0) {
        self.value = value
        var t = "\(value)"
        let have = t.firstIndex(of: ".").map { t.distance(from: $0, to: t.endIndex) - 1 } ?? -1
        if have < scale {
            if have < 0 { t += "." }
            t += String(repeating: "0", count: scale - max(have, 0))
        }
        text = t
    }

    /// Digits after the decimal point as written.
    var scale: Int { text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0 }

    private init(text: String, value: Decimal) { self.text = text; self.value = value }

    var isNegative: Bool { value < 0 }

    /// The sum of the known values, or nil when none is known (unknown stays unknown, not 0).
    static func sum(_ values: [Quantity?]) -> Quantity? {
        let known = values.compactMap { $0 }
        if known.isEmpty { return nil }
        if known.count == 1 { return known[0] }
        return Quantity(known.reduce(Decimal(0)) { $0 + $1.value }, scale: known.map(\.scale).max() ?? 0)
    }

    /// `text` is not a plain decimal.
    struct NotANumber: Error { let text: String }
}

/// A jsonb value built by the loaders: numbers stay exact, text stays as written.
enum JSONValue: Equatable, Sendable {
    /// A JSON number's text (from a `Decimal`, so always valid JSON).
    case number(String)
    case text(String)
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool { a.json == b.json }

    /// The JSON text.
    var json: String {
        switch self {
        case .number(let n): return n
        case .text(let s): return JSONText.quote(s)
        case .object(let pairs): return "{" + pairs.map { JSONText.quote($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
        }
    }

    /// A column value for `extra`: a JSON number when it is a plain decimal, else the text as written;
    /// nil for an empty cell.
    static func cell(_ text: String) -> JSONValue? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if let q = try? Quantity.read(t) { return .number("\(q.value)") }
        return .text(text)
    }
}
