import Foundation

/// A nutrition export's header: its column names as written and a lookup by normalized name.
///
/// Names are matched after NFKC (so `µ` U+00B5 and `μ` U+03BC agree), trimming, lower-casing and
/// collapsing inner whitespace; columns are found by name, never by position.
public struct NutritionHeader: Sendable, Equatable {
    /// The column names as written (trimmed).
    public let names: [String]
    private let index: [String: Int]

    public init(_ fields: [String]) {
        names = fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() where index[Self.key(n)] == nil { index[Self.key(n)] = i }
        self.index = index
    }

    /// The matching key of a column name.
    static func key(_ name: String) -> String {
        name.precomposedStringWithCompatibilityMapping.lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// The position of the column named `name` (any spelling that normalizes alike), or nil.
    public func column(_ name: String) -> Int? { index[Self.key(name)] }

    /// True when every name in `names` is a column.
    func has(_ names: String...) -> Bool { names.allSatisfy { column($0) != nil } }

    /// The first column whose normalized name starts with `prefix` (e.g. `weight (` for `Weight (lbs)`).
    func column(prefix: String) -> Int? {
        names.indices.first { Self.key(names[$0]).hasPrefix(Self.key(prefix)) }
    }

    /// The header as one line, shortened for an error message.
    var shown: String {
        let line = names.joined(separator: ",")
        return line.count > 160 ? String(line.prefix(160)) + "…" : line
    }
}
