import Foundation

/// Normalizes exercise and workout titles for matching: NFC, case-folded, whitespace collapsed.
///
/// Swift `String` equality is canonical-equivalence based while PostgreSQL `text` equality is
/// byte based, so every key that is compared in SQL is normalized here first.
public enum TitleNormalizer {
    /// Longest title (workout or exercise, display form and matching key) in UTF-8 bytes; a longer one is a reject.
    ///
    /// Titles are in unique btree keys (`core.workouts.workouts_natural_key`, `core.exercise_aliases`), whose entries
    /// hold at most 2,704 bytes; 2,000 bytes (500 characters of any script) leaves room for the other key columns.
    public static let maxBytes = 2_000

    /// True when `title` is past ``maxBytes``.
    @inline(__always)
    static func isTooLong(_ title: String) -> Bool { title.utf8.count > maxBytes }

    /// The matching key for `title` (empty when the title is blank).
    public static func key(_ title: String) -> String {
        let nfc = title.precomposedStringWithCanonicalMapping
        let folded = nfc.lowercased()
        return folded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// `title` in NFC with surrounding whitespace removed (the display form that is stored).
    public static func display(_ title: String) -> String {
        title.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
