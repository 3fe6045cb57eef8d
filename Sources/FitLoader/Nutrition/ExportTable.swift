import CSVStream
import PostgresClient
import Crypto
import Foundation

/// A whole nutrition or body-weight export read into memory (these files are small: one row per
/// day, meal or food): its header, its rows, its hash, and the rows whose shape is wrong.
struct ExportTable {
    let header: NutritionHeader
    /// Records with as many fields as the header.
    let rows: [ExportRow]
    /// Records whose field count differs from the header's (rejected before any format reads them).
    let shapeRejects: [RejectedRecord]
    /// Records after the header (every one is in `rows` or `shapeRejects`).
    var rowsRead: Int { rows.count + shapeRejects.count }
    let sha256: String
    let sizeBytes: Int

    /// Reads `url`; throws ``LoadError/configuration(_:)`` for a missing, empty or unparseable file.
    static func read(_ url: URL) throws -> ExportTable {
        let path = url.path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw LoadError.configuration("\(path): no such file")
        }
        var hasher = SHA256()
        var size = 0
        do {
            let reader = try CSVReader(url: url, chunkSize: 1 << 16)
            reader.onChunk = { hasher.update(bufferPointer: $0); size += $0.count }
            guard let first = try reader.next() else { throw LoadError.configuration("\(path): file is empty") }
            let header = NutritionHeader(first.fields)
            var rows: [ExportRow] = [], bad: [RejectedRecord] = []
            while let r = try reader.next() {
                if let found = reader.encodingProblem() {
                    let name = found.field < header.names.count ? header.names[found.field] : "field \(found.field + 1)"
                    bad.append(RejectedRecord(line: r.line, field: name, reason: found.problem.reason(field: name), record: r))
                } else if r.fields.count == header.names.count {
                    rows.append(ExportRow(record: r, header: header))
                } else {
                    bad.append(RejectedRecord(line: r.line, field: nil,
                                              reason: "\(r.fields.count) fields where the header has \(header.names.count)", record: r))
                }
            }
            return ExportTable(header: header, rows: rows, shapeRejects: bad,
                               sha256: Hex.lowercase(hasher.finalize()), sizeBytes: size)
        } catch let e as CSVError {
            throw LoadError.configuration("\(path): \(e)")
        }
    }

    /// The order of the slash dates in column `i`, decided from all of them.
    func slashOrder(_ i: Int) throws -> SlashDateOrder {
        do { return try SlashDateOrder.detect(rows.map { $0.text(i) }) }
        catch { throw LoadError.configuration("\(header.names[i]): \(error)") }
    }

    /// An empty parse holding the shape rejects and the row count.
    var emptyParse: NutritionParse {
        var p = NutritionParse()
        p.rowsRead = rowsRead
        p.rejects = shapeRejects
        return p
    }

    /// Reads a format with one row per date (column `date`): a row with an unreadable date, or with a date an
    /// accepted row already has, is a reject; `body` reads the rest of each row into the parse (throwing
    /// rejects the row, returning accepts it).
    func dailyRows(date: Int, _ body: (CalendarDate, ExportRow, inout NutritionParse) throws(RejectedRecord) -> Void) throws -> NutritionParse {
        let order = try slashOrder(date)
        var parse = emptyParse
        var accepted: [CalendarDate: Int] = [:]                // date → line of its accepted row
        for row in rows {
            do throws(RejectedRecord) {
                let day = try row.date(date, order: order)
                parse.noteDate(day)
                if let first = accepted[day] { throw row.reject(date, "a second row for \(day) (the first is line \(first))") }
                try body(day, row, &parse)
                accepted[day] = row.line
            } catch {
                parse.rejects.append(error)
            }
        }
        return parse
    }

    /// Reads a format with one row per entry (column `date`), summed to days by ``DaySummer``: `entry` reads
    /// each row (throwing rejects it, and its whole day).
    func summedEntries(date: Int, extra: ExtraColumns,
                       _ entry: (CalendarDate, ExportRow) throws(RejectedRecord) -> NutritionEntry) throws -> NutritionParse {
        let order = try slashOrder(date)
        var parse = emptyParse
        var summer = DaySummer()
        for row in rows {
            let day: CalendarDate
            do throws(RejectedRecord) { day = try row.date(date, order: order) } catch { parse.rejects.append(error); continue }
            parse.noteDate(day)
            do throws(RejectedRecord) {
                summer.add(try entry(day, row), row: row)
            } catch {
                parse.rejects.append(error)
                summer.rejected(date: day, line: row.line)
            }
        }
        summer.finish(into: &parse, extra: extra)
        return parse
    }
}

/// Turns per-row entries into days by summing them (MyFitnessPal meals, Cronometer foods or groups).
///
/// A day is loaded whole or not at all: when one of its rows is rejected, its other rows are rejected
/// too (naming the bad line), so a day never lands with part of its intake missing.
struct DaySummer {
    private var order: [CalendarDate] = []
    private var rows: [CalendarDate: [(entry: NutritionEntry, row: ExportRow)]] = [:]
    private var badLine: [CalendarDate: Int] = [:]

    /// Adds a valid row of `date`.
    mutating func add(_ entry: NutritionEntry, row: ExportRow) {
        if rows[entry.date] == nil, badLine[entry.date] == nil { order.append(entry.date) }
        rows[entry.date, default: []].append((entry, row))
    }

    /// Notes that a row of `date` was rejected.
    mutating func rejected(date: CalendarDate, line: Int) {
        if rows[date] == nil, badLine[date] == nil { order.append(date) }
        if badLine[date] == nil { badLine[date] = line }
    }

    /// Days, their entries (positioned in file order) and the rows rejected with a bad sibling, into `parse`.
    func finish(into parse: inout NutritionParse, extra: ExtraColumns) {
        for date in order {
            let dayRows = rows[date] ?? []
            if let bad = badLine[date] {
                for (_, row) in dayRows {
                    parse.rejects.append(row.reject(nil, "line \(bad) of the same day \(date) was rejected (a day is loaded whole or not at all)"))
                }
                continue
            }
            var entries: [NutritionEntry] = []
            for (i, r) in dayRows.enumerated() { var e = r.entry; e.position = i; entries.append(e) }
            parse.entries += entries
            parse.days.append(NutritionDay(date: date, nutrients: Nutrients.sum(entries.map(\.nutrients)),
                                           extra: extra.sum(entries.map(\.extra))))
        }
    }
}
