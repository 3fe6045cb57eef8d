import Foundation

/// Normalizes exercise and workout titles for matching: NFC, case-folded, whitespace collapsed.
///
/// Swift `String` equality is canonical-equivalence based while PostgreSQL `text` equality is
/// byte based, so every key that is compared in SQL is normalized here first.
public enum TitleNormalizer {
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
