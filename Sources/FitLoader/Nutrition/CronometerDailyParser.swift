/// Reads a Cronometer "Daily Nutrition" export (`dailysummary.csv`).
///
/// With a `Group` column every date has a `Total` row and some dates also have per-group rows
/// (Breakfast, Lunch, …) that add up to it: the day is the `Total` row, the group rows are kept as
/// its entries, never added to it (a date with group rows but no `Total` is their sum). Without
/// `Group`, each row is a day. A day whose values are all empty was not logged: it is skipped (not
/// rejected, not zero).
enum CronometerDailyParser {
    static func parse(_ table: ExportTable) throws -> NutritionParse {
        let h = table.header
        let date = h.column("Date")!, group = h.column("Group"), completed = h.column("Completed")
        let nutrients = CronometerColumns.nutrients(h)
        let labels = Set([date, group].compactMap { $0 })
        let extra = ExtraColumns(h, excluding: nutrients.positions.union(labels))
        let valueColumns = h.names.indices.filter { !labels.contains($0) && $0 != completed }
        let order = try table.slashOrder(date)
        var parse = table.emptyParse
        var totals: [CalendarDate: Int] = [:]        // date → line of its Total row
        var rejectedTotals: [CalendarDate: Int] = [:]
        var summer = DaySummer()
        for row in table.rows {
            let day: CalendarDate
            do throws(RejectedRecord) { day = try row.date(date, order: order) } catch { parse.rejects.append(error); continue }
            parse.noteDate(day)
            let groupName = row.text(group)
            let isTotal = group == nil || groupName.caseInsensitiveCompare("Total") == .orderedSame
            if isTotal, let first = totals[day] {
                parse.rejects.append(row.reject(group ?? date, "a second \(group == nil ? "row" : "Total row") for \(day) (the first is line \(first))"))
                continue
            }
            let blank = valueColumns.allSatisfy { row.text($0).isEmpty }
            do throws(RejectedRecord) {
                let values = try nutrients.read(row)
                if isTotal {
                    totals[day] = row.line
                    if blank { parse.notLogged.insert(day) } else {
                        parse.days.append(NutritionDay(date: day, nutrients: values, extra: extra.read(row)))
                    }
                } else {
                    summer.add(NutritionEntry(date: day, position: 0, meal: groupName, time: nil, food: nil, amount: nil,
                                              nutrients: values, extra: extra.read(row)), row: row)
                }
            } catch {
                parse.rejects.append(error)
                if isTotal { rejectedTotals[day] = rejectedTotals[day] ?? row.line } else { summer.rejected(date: day, line: row.line) }
            }
        }
        // a day is loaded whole or not at all: a rejected Total row takes its group rows with it
        for (day, line) in rejectedTotals { summer.rejected(date: day, line: line) }
        // group rows: the entries of their Total day, or summed to a day when the date has no Total row
        var grouped = NutritionParse()
        summer.finish(into: &grouped, extra: extra)
        for d in grouped.days where totals[d.date] == nil {
            if d.nutrients.isEmpty { parse.notLogged.insert(d.date) } else { parse.days.append(d) }
        }
        parse.entries = grouped.entries
        parse.rejects += grouped.rejects
        parse.days.sort { $0.date < $1.date }
        return parse
    }
}
