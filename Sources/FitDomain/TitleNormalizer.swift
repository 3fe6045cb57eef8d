import Foundation

/// Normalizes exercise and workout titles for matching: NFC, lower-case, whitespace collapsed.
///
/// Swift `String` equality is canonical-equivalence based while PostgreSQL `text` equality is
/// byte based, so every key that is compared in SQL is normalized here first. The same rule is
/// `fitness.title_key(text)` in SQL; a test compares the two on every title of the real exports
/// and the seeds plus hostile variants, so the rule has one definition in two languages.
public enum TitleNormalizer {
    /// Longest title (workout or exercise, display form and matching key) in UTF-8 bytes; a longer one is a reject.
    ///
    /// Titles are in unique btree keys (`core.workouts.workouts_natural_key`, `core.exercise_aliases`), whose entries
    /// hold at most 2,704 bytes; 2,000 bytes (500 characters of any script) leaves room for the other key columns.
    public static let maxBytes = 2_000

    /// True when `title` is past ``maxBytes``.
    @inlinable
    public static func isTooLong(_ title: String) -> Bool { title.utf8.count > maxBytes }

    /// The matching key for `title` (empty when the title is blank).
    ///
    /// Works on Unicode scalars, as SQL does: NFC; each scalar's lower-case mapping (U+0130 `İ`
    /// becomes `i`, its simple mapping, as PostgreSQL's `lower()` gives); every run of White_Space
    /// scalars becomes one space; leading and trailing spaces go. A combining mark after a space is
    /// kept (a `Character`-based split would drop it with the space).
    public static func key(_ title: String) -> String {
        var key = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in title.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !key.isEmpty
                continue
            }
            if pendingSpace { key.append(" "); pendingSpace = false }
            if scalar == "\u{130}" { key.append("i"); continue }
            key.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return String(key)
    }

    /// `title` in NFC with surrounding whitespace removed (the display form that is stored).
    public static func display(_ title: String) -> String {
        title.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
