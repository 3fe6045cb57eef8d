import Foundation

/// How the report writes numbers: at most `decimals` decimals, trailing zeros dropped, no digit grouping,
/// `.` as the decimal separator in English and `,` in Portuguese.
enum NumberText {
    /// `value` with at most `decimals` decimals (half away from zero), e.g. 82.50 → `82.5`, 2612.43 (0) → `2612`.
    static func format(_ value: Double, decimals: Int, language: ReportLanguage = .en) -> String {
        let scale = pow(10.0, Double(decimals))
        let rounded = (value * scale).rounded(.toNearestOrAwayFromZero) / scale
        var s = String(format: "%.\(decimals)f", rounded == 0 ? 0 : rounded)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return language == .pt ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    /// Like ``format(_:decimals:language:)`` with a leading `+` for positive values.
    static func signed(_ value: Double, decimals: Int, language: ReportLanguage = .en) -> String {
        let s = format(value, decimals: decimals, language: language)
        return value > 0 && s != "0" ? "+" + s : s
    }

    /// kg values: 2 decimals.
    static func kg(_ v: Double, _ l: ReportLanguage = .en) -> String { format(v, decimals: 2, language: l) }
    /// kcal and grams: whole numbers.
    static func whole(_ v: Double, _ l: ReportLanguage = .en) -> String { format(v, decimals: 0, language: l) }
    /// Percentages: 1 decimal.
    static func pct(_ v: Double, _ l: ReportLanguage = .en) -> String { format(v, decimals: 1, language: l) }
}
