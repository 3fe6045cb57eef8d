import FitDomain
/// Reads a plain body-weight CSV: a `date` column and one weight column whose header names its unit
/// (`weight_kg` or `weight_lbs`), optionally `fat_percent`; any other column is kept in `extra`.
/// A row with an empty weight is skipped (not weighed that day).
enum BodyWeightCSVParser {
    /// True when `header` has a date and a weight column with a unit.
    static func matches(_ h: NutritionHeader) -> Bool { h.column("date") != nil && weightColumn(h) != nil }

    static func weightColumn(_ h: NutritionHeader) -> Int? {
        h.names.indices.first { i in
            let k = NutritionHeader.key(h.names[i])
            return (k.hasPrefix("weight_") || k.hasPrefix("weight (")) && WeightUnit.of(header: h.names[i]) != nil
        }
    }

    static func parse(_ table: ExportTable) throws -> NutritionParse {
        let h = table.header
        let date = h.column("date")!, weight = weightColumn(h)!
        let unit = WeightUnit.of(header: h.names[weight])!
        let fat = h.column("fat_percent") ?? h.column("body_fat_percent")
        let extra = ExtraColumns(h, excluding: Set([date, weight, fat].compactMap { $0 }))
        return try table.dailyRows(date: date) { day, row, parse throws(RejectedRecord) in
            let value = try row.bodyWeight(weight, unit: unit)
            let fatPercent = try row.amount(fat)
            if let fatPercent, fatPercent.value > 100 { throw row.reject(fat, "\(fatPercent.text) is not a percentage") }
            guard let value else { parse.notLogged.insert(day); return }
            parse.weighIns.append(WeighIn(date: day, weight: value, unit: unit, fatPercent: fatPercent, extra: extra.read(row)))
        }
    }
}
