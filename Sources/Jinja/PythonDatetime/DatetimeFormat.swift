/// `strftime`, `strptime` and `fromisoformat` of Python's `datetime` module (the C library's codes Python passes on,
/// as glibc prints them in the C locale).
enum DatetimeFormat {
    /// `strftime(format)` of a datetime (a date formats as midnight, naive).
    static func strftime(_ dt: PyDateTime, _ format: String) -> String {
        let (y, m, d) = dt.ymd
        let (h, mi, s, us) = dt.time
        let ord = dt.ordinal
        let wd = CivilTime.weekday(ord)                       // Monday = 0
        let yday = ord - CivilTime.ordinal(y, 1, 1)           // 0-based
        let sundayWd = (wd + 1) % 7                           // Sunday = 0
        var out = ""
        var pct = false
        for ch in format {
            guard pct else {
                if ch == "%" { pct = true } else { out.append(ch) }
                continue
            }
            pct = false
            switch ch {
            case "Y": out += String(y)
            case "C": out += pad(y / 100, 2)
            case "y": out += pad(y % 100, 2)
            case "m": out += pad(m, 2)
            case "d": out += pad(d, 2)
            case "e": out += (d < 10 ? " " : "") + String(d)
            case "H": out += pad(h, 2)
            case "I": out += pad(h % 12 == 0 ? 12 : h % 12, 2)
            case "M": out += pad(mi, 2)
            case "S": out += pad(s, 2)
            case "f": out += pad(us, 6)
            case "p": out += h < 12 ? "AM" : "PM"
            case "B": out += CivilTime.monthNames[m - 1]
            case "b", "h": out += String(CivilTime.monthNames[m - 1].prefix(3))
            case "A": out += CivilTime.dayNames[wd]
            case "a": out += String(CivilTime.dayNames[wd].prefix(3))
            case "j": out += pad(yday + 1, 3)
            case "w": out += String(sundayWd)
            case "u": out += String(wd + 1)
            case "U": out += pad((yday + 7 - sundayWd) / 7, 2)
            case "W": out += pad((yday + 7 - wd) / 7, 2)
            case "V": out += pad(CivilTime.isoCalendar(ord).1, 2)
            case "G": out += String(CivilTime.isoCalendar(ord).0)
            case "F": out += dt.date.iso
            case "T": out += pad(h, 2) + ":" + pad(mi, 2) + ":" + pad(s, 2)
            case "R": out += pad(h, 2) + ":" + pad(mi, 2)
            case "D": out += pad(m, 2) + "/" + pad(d, 2) + "/" + pad(y % 100, 2)
            case "x": out += pad(m, 2) + "/" + pad(d, 2) + "/" + pad(y % 100, 2)
            case "X": out += pad(h, 2) + ":" + pad(mi, 2) + ":" + pad(s, 2)
            case "c":
                out += String(CivilTime.dayNames[wd].prefix(3)) + " " + String(CivilTime.monthNames[m - 1].prefix(3)) + " "
                    + (d < 10 ? " " : "") + String(d) + " " + pad(h, 2) + ":" + pad(mi, 2) + ":" + pad(s, 2) + " " + String(y)
            case "z": out += dt.tz.map { PyTimezone.offsetText($0.offsetSeconds, colon: false) } ?? ""
            case ":" : out += "%:"   // %:z is Python 3.12+; 3.11 leaves it to the C library, which keeps it
            case "Z": out += dt.tz?.str ?? ""
            case "n": out += "\n"
            case "t": out += "\t"
            case "%": out += "%"
            default: out += "%" + String(ch)
            }
        }
        if pct { out += "%" }
        return out
    }

    /// `datetime.strptime(text, format)`: naive unless the format has `%z`; Python's ValueErrors otherwise.
    static func strptime(_ text: String, _ format: String) throws -> PyDateTime {
        let input = Array(text), fmt = Array(format)
        var i = 0, f = 0
        var year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0, micro = 0
        var julian: Int?, pm: Bool?, tz: PyTimezone?
        func mismatch() -> JinjaError { PyError.value("time data '\(text)' does not match format '\(format)'") }
        /// Up to `width` digits (at least one); the longest prefix within `range`.
        func number(_ width: Int, _ range: ClosedRange<Int>) throws -> Int {
            var digits = ""
            while digits.count < width, i < input.count, let c = input[i].wholeNumberValue, input[i].isASCII {
                digits.append(String(c)); i += 1
            }
            while !digits.isEmpty {
                if let v = Int(digits), range.contains(v) { return v }
                digits.removeLast(); i -= 1
            }
            throw mismatch()
        }
        func name(_ names: [String]) throws -> Int {
            let rest = String(input[i...]).lowercased()
            for (k, n) in names.enumerated().sorted(by: { $0.element.count > $1.element.count }) where rest.hasPrefix(n.lowercased()) {
                i += n.count
                return k
            }
            throw mismatch()
        }
        while f < fmt.count {
            let c = fmt[f]
            if c.isWhitespace {
                // A run of whitespace in the format matches one or more whitespace characters (Python's \s+).
                while f < fmt.count, fmt[f].isWhitespace { f += 1 }
                guard i < input.count, input[i].isWhitespace else { throw mismatch() }
                while i < input.count, input[i].isWhitespace { i += 1 }
                continue
            }
            guard c == "%", f + 1 < fmt.count else {
                if c == "%" { throw PyError.value("stray % in format '\(format)'") }
                guard i < input.count, input[i].lowercased() == c.lowercased() else { throw mismatch() }
                i += 1; f += 1
                continue
            }
            let code = fmt[f + 1]
            f += 2
            switch code {
            case "Y": year = try number(4, 0...9999)
            case "y": let v = try number(2, 0...99); year = v < 69 ? 2000 + v : 1900 + v
            case "m": month = try number(2, 1...12)
            case "d": day = try number(2, 1...31)
            case "H": hour = try number(2, 0...23)
            case "I": hour = try number(2, 1...12)
            case "M": minute = try number(2, 0...59)
            case "S": second = try number(2, 0...61)
            case "j": julian = try number(3, 1...366)
            case "f":
                let start = i
                let v = try number(6, 0...999_999)
                micro = v * Int(pow10(6 - (i - start)))
            case "p":
                let k = try name(["AM", "PM"])
                pm = k == 1
            case "B": month = try name(CivilTime.monthNames) + 1
            case "b", "h": month = try name(CivilTime.monthNames.map { String($0.prefix(3)) }) + 1
            case "A": _ = try name(CivilTime.dayNames)
            case "a": _ = try name(CivilTime.dayNames.map { String($0.prefix(3)) })
            case "z": tz = try offset(input, &i, mismatch)
            case "%":
                guard i < input.count, input[i] == "%" else { throw mismatch() }
                i += 1
            default: throw PyError.value("'\(code)' is a bad directive in format '\(format)'")
            }
        }
        if i < input.count { throw PyError.value("unconverted data remains: \(String(input[i...]))") }
        if let pm {
            if pm && hour != 12 { hour += 12 } else if !pm && hour == 12 { hour = 0 }
        }
        if second > 59 { second = 59 }
        if let julian {
            let ord = CivilTime.ordinal(year, 1, 1) + julian - 1
            (year, month, day) = CivilTime.ymd(ord)
        }
        return try PyDateTime(year, month, day, hour, minute, second, micro, tz: tz)
    }

    private static func pow10(_ n: Int) -> Int { (0..<max(0, n)).reduce(1) { r, _ in r * 10 } }

    /// `Z`, `+HHMM`, `+HH:MM`, with optional seconds (and microseconds, dropped).
    private static func offset(_ input: [Character], _ i: inout Int, _ mismatch: () -> JinjaError) throws -> PyTimezone {
        guard i < input.count else { throw mismatch() }
        if input[i] == "Z" || input[i] == "z" { i += 1; return PyTimezone(offsetSeconds: 0, name: nil) }
        guard input[i] == "+" || input[i] == "-" else { throw mismatch() }
        let sign = input[i] == "-" ? -1 : 1
        i += 1
        func two() throws -> Int {
            guard i + 1 < input.count, let a = input[i].wholeNumberValue, let b = input[i + 1].wholeNumberValue else { throw mismatch() }
            i += 2
            return a * 10 + b
        }
        let h = try two()
        let colon = i < input.count && input[i] == ":"
        if colon { i += 1 }
        let m = try two()
        var s = 0
        if i < input.count, (colon && input[i] == ":") || (!colon && input[i].isNumber) {
            if colon { i += 1 }
            s = try two()
        }
        guard m < 60, s < 60 else { throw mismatch() }
        return PyTimezone(offsetSeconds: sign * (h * 3600 + m * 60 + s), name: nil)
    }

    /// `date.fromisoformat`: `YYYY-MM-DD` or `YYYYMMDD`.
    static func isoDate(_ s: String) throws -> PyDate {
        let c = Array(s)
        func digits(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= c.count else { return nil }
            let part = String(c[r])
            return part.allSatisfy(\.isASCII) ? Int(part) : nil
        }
        if c.count == 10, c[4] == "-", c[7] == "-", let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) {
            return try PyDate(y, m, d)
        }
        if c.count == 8, let y = digits(0..<4), let m = digits(4..<6), let d = digits(6..<8) { return try PyDate(y, m, d) }
        throw PyError.value("Invalid isoformat string: '\(s)'")
    }

    /// `datetime.fromisoformat` (Python 3.11): a date, then optionally a separator and `HH[:MM[:SS[.fff[fff]]]]` and an
    /// offset (`Z`, `±HH[:MM[:SS]]`).
    static func isoDateTime(_ s: String) throws -> PyDateTime {
        let bad = PyError.value("Invalid isoformat string: '\(s)'")
        let c = Array(s)
        let dateLength = c.count >= 10 && c[4] == "-" ? 10 : 8
        guard c.count >= dateLength else { throw bad }
        let date: PyDate
        do { date = try isoDate(String(c[0..<dateLength])) } catch { throw bad }
        let (y, m, d) = date.ymd
        if c.count == dateLength { return try PyDateTime(y, m, d) }
        var i = dateLength + 1
        var fields: [Int] = []
        var micro = 0
        func two() throws -> Int {
            guard i + 1 < c.count, c[i].isASCII, c[i + 1].isASCII, let a = c[i].wholeNumberValue, let b = c[i + 1].wholeNumberValue else { throw bad }
            i += 2
            return a * 10 + b
        }
        fields.append(try two())
        while fields.count < 3, i < c.count, c[i] == ":" || c[i].isNumber {
            if c[i] == ":" { i += 1 }
            fields.append(try two())
        }
        if fields.count == 3, i < c.count, c[i] == "." || c[i] == "," {
            i += 1
            var digits = ""
            while i < c.count, c[i].isASCII, c[i].isNumber { digits.append(c[i]); i += 1 }
            guard digits.count == 3 || digits.count == 6 else { throw bad }
            micro = Int(digits)! * (digits.count == 3 ? 1000 : 1)
        }
        var tz: PyTimezone?
        if i < c.count {
            do { tz = try offset(c, &i) { bad } } catch { throw bad }
            guard i == c.count else { throw bad }
        }
        while fields.count < 3 { fields.append(0) }
        do { return try PyDateTime(y, m, d, fields[0], fields[1], fields[2], micro, tz: tz) } catch { throw bad }
    }
}
