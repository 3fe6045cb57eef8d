import Foundation

/// How charts print numbers: fixed decimals, thousands separated by commas, no locale dependence.
public enum ChartFormat {
    /// `1234.5` with 1 decimal → `1,234.5`; `-0` prints as `0`.
    public static func number(_ value: Double, decimals: Int = 0) -> String {
        guard value.isFinite else { return "–" }
        let text = String(format: "%.\(max(0, min(decimals, 6)))f", value)
        var sign = "", body = Substring(text)
        if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1)
        let integer = String(parts[0])
        var grouped = ""
        for (i, c) in integer.enumerated() {
            if i > 0 && (integer.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        let result = grouped + fraction
        return result.allSatisfy({ $0 == "0" || $0 == "." || $0 == "," }) ? result : sign + result
    }

    /// A coordinate for SVG output: at most 1 decimal, no trailing `.0`.
    static func coord(_ value: Double) -> String {
        let r = (value * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}

extension ChartFormat {
    /// A data value for a tooltip: as many decimals as it has, up to 2.
    static func value(_ v: Double) -> String {
        let decimals = (v * 100).rounded() == (v * 10).rounded() * 10 ? ((v * 10).rounded() == v.rounded() * 10 ? 0 : 1) : 2
        return number(v, decimals: decimals)
    }
}
