import Foundation

/// Strict readers for numeric CSV fields: `.` decimals only, no thousands separators, no exponents.
enum FieldParsing {
    /// `s` without leading/trailing spaces and tabs; returns `s` itself (no copy) in the usual case.
    @inline(__always)
    static func trimmed(_ s: String) -> String {
        guard let first = s.utf8.first, let last = s.utf8.last else { return s }
        if first != 0x20, first != 0x09, last != 0x20, last != 0x09 { return s }
        return s.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
    }

    /// True when `s` is a plain decimal such as `-12`, `251.33`, `.5`.
    static func isDecimal(_ s: String) -> Bool {
        var digits = 0, dots = 0
        for (i, b) in s.utf8.enumerated() {
            switch b {
            case UInt8(ascii: "-") where i == 0: continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            default: return false
            }
        }
        return digits > 0 && dots <= 1
    }

    /// The integer in `s` (also `12.0`), or nil.
    static func integer(_ s: String) -> Int? {
        if let v = Int(s) { return v }
        if isDecimal(s), let d = Double(s), d == d.rounded(), abs(d) < 1e9 { return Int(d) }
        return nil
    }

    /// The decimal value of `s`, or nil.
    static func decimal(_ s: String) -> Double? {
        isDecimal(s) ? Double(s) : nil
    }
}
