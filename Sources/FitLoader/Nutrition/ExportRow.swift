import CSVStream
import FitDomain
import Foundation

/// One record of a nutrition or body-weight export, with the checks every format shares; each failed
/// check is a ``RejectedRecord`` naming the line, the column and the reason, with the record's bytes.
struct ExportRow {
    let record: CSVRecord
    let header: NutritionHeader

    var line: Int { record.line }

    /// The cell of column `i`, trimmed; empty when the column is absent.
    func text(_ i: Int?) -> String {
        guard let i, i < record.fields.count else { return "" }
        return record.fields[i].trimmingCharacters(in: .whitespaces)
    }

    /// A rejection of this record.
    func reject(_ column: Int?, _ reason: String) -> RejectedRecord {
        RejectedRecord(line: record.line, field: column.map { header.names[$0] }, reason: reason, record: record)
    }

    /// The date in column `i` (required).
    func date(_ i: Int, order: SlashDateOrder) throws(RejectedRecord) -> CalendarDate {
        let t = text(i)
        if t.isEmpty { throw reject(i, "no date") }
        guard let d = CalendarDate.parse(t, order: order) else {
            throw reject(i, "\"\(t)\" is not a date (YYYY-MM-DD, M/D/YYYY or M/D/YY)")
        }
        return d
    }

    /// The number in column `i`, nil when empty.
    func quantity(_ i: Int?) throws(RejectedRecord) -> Quantity? {
        do throws(Quantity.NotANumber) { return try Quantity.read(text(i)) } catch {
            throw reject(i, "\"\(error.text)\" is not a number (plain decimals with a '.' only, no thousands separators)")
        }
    }

    /// The non-negative amount in column `i`, nil when empty.
    func amount(_ i: Int?) throws(RejectedRecord) -> Quantity? {
        let q = try quantity(i)
        if let q, q.isNegative { throw reject(i, "negative amount \(q.text)") }
        return q
    }

    /// The body weight in column `i` in `unit`, nil when empty (or when there is no such column); rejects
    /// a negative or implausible weight (see ``WeightUnit/isPlausible(_:)``).
    func bodyWeight(_ i: Int?, unit: WeightUnit?) throws(RejectedRecord) -> Quantity? {
        guard let value = try amount(i), let unit else { return nil }
        if !unit.isPlausible(value) { throw reject(i, "\(value.text) \(unit.rawValue) is not a plausible body weight") }
        return value
    }

    /// The time of day in column `i` as `HH:MM` (from `HH:MM`, `H:MM` or `h:mm AM/PM`), nil when empty.
    func time(_ i: Int?) throws(RejectedRecord) -> String? {
        let t = text(i).uppercased()
        if t.isEmpty { return nil }
        var body = Substring(t)
        var meridiem: String?
        for m in ["AM", "PM"] where body.hasSuffix(m) {
            meridiem = m
            body = body.dropLast(2)
        }
        body = Substring(body.trimmingCharacters(in: .whitespaces))
        let p = body.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count == 2 || p.count == 3, let h = Int(p[0]), let m = Int(p[1]), p[1].count == 2, (0...59).contains(m) else {
            throw reject(i, "\"\(text(i))\" is not a time of day (HH:MM or h:mm AM/PM)")
        }
        var hour = h
        if let meridiem {
            guard (1...12).contains(h) else { throw reject(i, "\"\(text(i))\" is not a time of day") }
            hour = h % 12 + (meridiem == "PM" ? 12 : 0)
        }
        guard (0...23).contains(hour) else { throw reject(i, "\"\(text(i))\" is not a time of day") }
        return String(format: "%02d:%02d", hour, m)
    }
}

/// Where a format's calorie and macronutrient columns are, found by header name.
struct NutrientColumns {
    let kcal: Int?, protein: Int?, carbs: Int?, fat: Int?, fiber: Int?

    init(_ h: NutritionHeader, kcal: String, protein: String, carbs: String, fat: String, fiber: String?) {
        self.kcal = h.column(kcal); self.protein = h.column(protein); self.carbs = h.column(carbs)
        self.fat = h.column(fat); self.fiber = fiber.flatMap { h.column($0) }
    }

    /// The columns that are found.
    var positions: Set<Int> { Set([kcal, protein, carbs, fat, fiber].compactMap { $0 }) }

    /// The row's amounts; a non-number or negative amount rejects the row.
    func read(_ row: ExportRow) throws(RejectedRecord) -> Nutrients {
        Nutrients(kcal: try row.amount(kcal), proteinG: try row.amount(protein), carbsG: try row.amount(carbs),
                  fatG: try row.amount(fat), fiberG: try row.amount(fiber))
    }
}

/// The columns a format does not map, kept in `extra` by their header name as written.
struct ExtraColumns {
    let positions: [Int]
    let header: NutritionHeader

    init(_ header: NutritionHeader, excluding used: Set<Int>) {
        self.header = header
        positions = header.names.indices.filter { !used.contains($0) && !header.names[$0].isEmpty }
    }

    /// The row's non-empty cells: numbers as JSON numbers, anything else as text.
    func read(_ row: ExportRow) -> [(String, JSONValue)] {
        positions.compactMap { i in JSONValue.cell(row.text(i)).map { (header.names[i], $0) } }
    }

    /// Per-key sums of the numeric values of `parts` (text values are left to the entries), in header order.
    func sum(_ parts: [[(String, JSONValue)]]) -> [(String, JSONValue)] {
        var totals: [String: Decimal] = [:]
        for part in parts {
            for (k, v) in part {
                if case .number(let n) = v, let d = Decimal(string: n, locale: Locale(identifier: "en_US_POSIX")) {
                    totals[k, default: 0] += d
                }
            }
        }
        return positions.compactMap { i in totals[header.names[i]].map { (header.names[i], JSONValue.number("\($0)")) } }
    }
}

