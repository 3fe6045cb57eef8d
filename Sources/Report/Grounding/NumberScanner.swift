/// A number written in report text, with what follows it.
struct ScannedNumber: Sendable, Equatable {
    /// The number as written (sign and unit excluded), e.g. `2,450` or `82,5`.
    var text: String
    /// The readings of `text`: `1,234` may be 1234 (English grouping) or 1.234 (Portuguese decimal comma).
    var readings: [(value: Double, decimals: Int)]
    /// The unit written right after it (`kg`, `lb`, `g`, `kcal`, `kj`, `%`), lower-cased; nil when none.
    var unit: String?
    /// The range of the number in the scanned text's characters.
    var range: Range<Int>

    static func == (a: ScannedNumber, b: ScannedNumber) -> Bool { a.text == b.text && a.unit == b.unit && a.range == b.range }
}

/// Finds the numbers in text that are claims, skipping those that are not (see docs/report.md, *Grounding check*):
/// dates (`2026-11-16`, `16/11`, `16 Nov`, `November 16th`, `16 de novembro`), ISO weeks (`2026-W47`, `W47`, `week 47`,
/// `semana 47`: 1–53 with no unit after), list ordinals (`1.`/`1)` at a line start), ordinals (`1st`, `2º`), times (`07:30`), and digits inside a
/// word (`e1RM`, `3x5`'s 5).
enum NumberScanner {
    static let units = ["kcal", "kj", "kgs", "kg", "lbs", "lb", "g", "%", "cal"]
    static let months: Set<String> = [
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug", "august",
        "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
        "janeiro", "fev", "fevereiro", "março", "marco", "abr", "abril", "mai", "maio", "junho", "julho", "ago", "agosto",
        "set", "setembro", "out", "outubro", "novembro", "dez", "dezembro",
    ]
    static let weekWords: Set<String> = ["week", "semana", "wk"]

    static func scan(_ text: String) -> [ScannedNumber] {
        let c = Array(text)
        var out: [ScannedNumber] = []
        var i = 0
        func isDigit(_ k: Int) -> Bool { k >= 0 && k < c.count && c[k].isASCII && c[k].isNumber }
        func isLetter(_ k: Int) -> Bool { k >= 0 && k < c.count && c[k].isLetter }
        while i < c.count {
            guard isDigit(i) else { i += 1; continue }
            let start = i
            // the token: digits with single . , separators between digits (and a space before exactly 3 digits is not joined)
            var j = i
            while j < c.count {
                if isDigit(j) { j += 1; continue }
                if (c[j] == "." || c[j] == ","), isDigit(j + 1), isDigit(j - 1) { j += 1; continue }
                break
            }
            let token = String(c[start..<j])
            i = j
            if isSkipped(c, start: start, end: j, token: token) { continue }
            guard let readings = readings(of: token) else { continue }
            out.append(ScannedNumber(text: token, readings: readings, unit: unit(c, after: j), range: start..<j))
        }
        return out
    }

    /// The word (letters only, lower-cased) ending just before `k` after optional spaces, and the one starting at `k` after spaces.
    static func word(_ c: [Character], before k: Int) -> String {
        var e = k - 1
        while e >= 0, c[e] == " " || c[e] == "\u{a0}" { e -= 1 }
        var s = e
        while s >= 0, c[s].isLetter { s -= 1 }
        return s < e ? String(c[(s + 1)...e]).lowercased() : ""
    }

    static func word(_ c: [Character], after k: Int) -> String {
        var s = k
        while s < c.count, c[s] == " " || c[s] == "\u{a0}" { s += 1 }
        var e = s
        while e < c.count, c[e].isLetter { e += 1 }
        return String(c[s..<e]).lowercased()
    }

    static func isSkipped(_ c: [Character], start: Int, end: Int, token: String) -> Bool {
        let prev: Character? = start > 0 ? c[start - 1] : nil
        let next: Character? = end < c.count ? c[end] : nil
        // digits glued to a word before them: e1RM, W47, 3x5's 5
        if let p = prev, p.isLetter { return true }
        // ISO week 2026-W47 and dates 2026-11-16, 16/11/2026, 16-11, 07:30
        if let n = next, n == "/" || n == ":", end + 1 < c.count, c[end + 1].isNumber { return true }
        if let p = prev, p == "/" || p == ":", start >= 2, c[start - 2].isNumber { return true }
        if next == "-", token.count == 4, end + 1 < c.count, c[end + 1].isNumber || c[end + 1] == "W" { return true }
        if prev == "-", isoDateChain(c, before: start - 1) { return true }
        // ordinals: 1st 2nd 3rd 4th, 1º 2ª
        let after = word(c, after: end)
        if next != nil, next!.isLetter || next == "º" || next == "ª" {
            if ["st", "nd", "rd", "th"].contains(after) || next == "º" || next == "ª" { return true }
        }
        if next == "º" || next == "ª" { return true }
        // list ordinals: "1." or "1)" at the start of a line, followed by a space
        var k = start - 1
        while k >= 0, c[k] == " " || c[k] == "\t" { k -= 1 }
        let atLineStart = k < 0 || c[k] == "\n"
        if atLineStart, let n = next, n == "." || n == ")", end + 1 < c.count, c[end + 1] == " " { return true }
        // week numbers and dates with month names
        let before = word(c, before: start)
        if weekWords.contains(before), let n = Int(token), (1...53).contains(n), unit(c, after: end) == nil { return true }
        if months.contains(before) || months.contains(after) { return true }
        if after == "de", months.contains(secondWord(c, after: end)) { return true }
        return false
    }

    /// True when the text ending at `k` (a `-`) is `YYYY-` or `YYYY-MM-`: the start of an ISO date.
    static func isoDateChain(_ c: [Character], before k: Int) -> Bool {
        var s = k
        var groups: [Int] = []
        while s >= 0, c[s] == "-" {
            var e = s - 1
            while e >= 0, c[e].isASCII, c[e].isNumber { e -= 1 }
            groups.append(s - 1 - e)
            s = e
        }
        return groups.last == 4 && groups.dropLast().allSatisfy { $0 == 2 } && (s < 0 || !c[s].isNumber)
    }

    /// The second word after `k` ("16 de novembro" → "novembro").
    static func secondWord(_ c: [Character], after k: Int) -> String {
        var s = k
        while s < c.count, c[s] == " " { s += 1 }
        while s < c.count, c[s].isLetter { s += 1 }
        return word(c, after: s)
    }

    /// The readings of a token: `.` and `,` are each a decimal separator or a thousands separator (exactly 3 digits after).
    static func readings(of token: String) -> [(value: Double, decimals: Int)]? {
        let seps = token.filter { $0 == "." || $0 == "," }
        if seps.isEmpty { return Double(token).map { [($0, 0)] } }
        var out: [(Double, Int)] = []
        for decimal in [".", ","] as [Character] {
            let grouping: Character = decimal == "." ? "," : "."
            let groups = token.split(separator: decimal, omittingEmptySubsequences: false)
            guard groups.count <= 2 else { continue }
            let intPart = groups[0].split(separator: grouping, omittingEmptySubsequences: false)
            if intPart.count > 1, intPart.dropFirst().contains(where: { $0.count != 3 }) { continue }
            let digits = intPart.joined()
            let frac = groups.count == 2 ? String(groups[1]) : ""
            if frac.contains(grouping) { continue }
            guard let v = Double(frac.isEmpty ? digits : digits + "." + frac) else { continue }
            if !out.contains(where: { $0.0 == v && $0.1 == frac.count }) { out.append((v, frac.count)) }
        }
        return out.isEmpty ? nil : out
    }

    /// The unit right after position `k` (after optional spaces), lower-cased.
    static func unit(_ c: [Character], after k: Int) -> String? {
        var s = k
        while s < c.count, c[s] == " " || c[s] == "\u{a0}" { s += 1 }
        if s < c.count, c[s] == "%" { return "%" }
        let w = word(c, after: k)
        if units.contains(w) { return w == "kgs" ? "kg" : (w == "lbs" ? "lb" : w) }
        if w == "percent" || w == "por" && secondWord(c, after: k) == "cento" { return "%" }
        return nil
    }
}
