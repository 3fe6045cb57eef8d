import Foundation
import PostgresClient

/// Loads CSV seeds into tables with COPY, swapped in atomically like table models.
enum SeedLoader {
    /// Parses RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. Empty unquoted fields are nil (NULL).
    static func parseCSV(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) -> [[String?]] {
        var rows: [[String?]] = []
        var row: [String?] = []
        var field: [UInt8] = []
        var quoted = false, inQuotes = false
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var i = 0
        func endField() {
            row.append(field.isEmpty && !quoted ? nil : String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 2; continue }
                    inQuotes = false
                } else {
                    field.append(b)
                }
            } else if b == UInt8(ascii: "\""), field.isEmpty {
                inQuotes = true; quoted = true
            } else if b == delimiter {
                endField()
            } else if b == 0x0A || b == 0x0D {
                endField()
                if !(row.count == 1 && row[0] == nil) { rows.append(row) }
                row = []
                if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
            } else {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || quoted || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }

    /// The type dbt-postgres would infer for a column: integer/bigint, numeric, date, timestamp, boolean or text.
    static func inferType(_ values: [String?]) -> String {
        let present = values.compactMap { $0 }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !present.isEmpty else { return "text" }
        func all(_ p: (String) -> Bool) -> Bool { present.allSatisfy(p) }
        if all({ Int64($0) != nil }) {
            return all({ Int32($0) != nil }) ? "integer" : "bigint"
        }
        if all(isDecimal) { return "numeric" }
        if all({ ["true", "false"].contains($0.lowercased()) }) { return "boolean" }
        if all(isDate) { return "date" }
        if all(isTimestamp) { return "timestamp without time zone" }
        return "text"
    }

    static func isDecimal(_ s: String) -> Bool {
        var u = Substring(s)
        if u.first == "-" || u.first == "+" { u = u.dropFirst() }
        let parts = u.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !u.isEmpty else { return false }
        return parts.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) } && parts.contains { !$0.isEmpty }
    }

    static func isDate(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
        return u.enumerated().allSatisfy { i, c in i == 4 || i == 7 || (c >= 48 && c <= 57) }
    }

    static func isTimestamp(_ s: String) -> Bool {
        guard s.count >= 16, isDate(String(s.prefix(10))) else { return false }
        let rest = s.dropFirst(10)
        guard rest.first == " " || rest.first == "T" else { return false }
        return rest.dropFirst().allSatisfy { $0.isNumber || $0 == ":" || $0 == "." }
    }

    /// One CSV field for COPY: nil stays an unquoted empty field (NULL), everything else is quoted.
    static func csvField(_ v: String?) -> String {
        guard let v else { return "" }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Loads `seed`; returns the rows copied.
    static func load(_ seed: Seed, project: Project, conn: Connection, extras: [String], rebuilt: [Relation]) throws -> Int {
        let url = project.root.appendingPathComponent(seed.path)
        let text = try String(contentsOf: url, encoding: .utf8)
        let delim = seed.config["delimiter"]?.stringValue.flatMap { $0.utf8.first } ?? UInt8(ascii: ",")
        var rows = parseCSV(text, delimiter: delim)
        guard !rows.isEmpty else { throw ProjectError("seed \(seed.name) is empty (no header row)", at: SourceLocation(file: seed.path, line: 1)) }
        let header = rows.removeFirst().map { ($0 ?? "").trimmingCharacters(in: .whitespaces) }
        if let dup = Dictionary(grouping: header, by: { $0 }).first(where: { $0.value.count > 1 }) {
            throw ProjectError("seed \(seed.name): column '\(dup.key)' appears twice in the header", at: SourceLocation(file: seed.path, line: 1))
        }
        for (i, r) in rows.enumerated() where r.count != header.count {
            throw ProjectError("seed \(seed.name): row has \(r.count) fields, header has \(header.count)", at: SourceLocation(file: seed.path, line: i + 2))
        }
        let declared = Dictionary((seed.config["column_types"]?.dictValue ?? []).map { ($0.0, $0.1.stringValue ?? "text") }, uniquingKeysWith: { _, b in b })
        for k in declared.keys where !header.contains(k) {
            project.warnings.warn("seed \(seed.name): column_types names '\(k)', which is not a column", at: SourceLocation(file: seed.path, line: 1))
        }
        let types = header.enumerated().map { i, name in declared[name] ?? inferType(rows.map { $0[i] }) }
        let tmp = Materializer.tempName(seed.relation)
        let q = Materializer.q
        let cols = zip(header, types).map { "\(q($0)) \($1)" }.joined(separator: ", ")
        try conn.execute("BEGIN")
        do {
            try conn.execute("DROP TABLE IF EXISTS \(tmp.quoted); CREATE TABLE \(tmp.quoted) (\(cols))")
            let copied = try conn.copyIn("COPY \(tmp.quoted) (\(header.map(q).joined(separator: ", "))) FROM STDIN WITH (FORMAT csv)") { w in
                for r in rows {
                    try w.write(r.map(csvField).joined(separator: ",") + "\n")
                }
            }
            try conn.execute(([Materializer.swap(target: seed.relation, temporary: tmp, rebuilt: rebuilt)] + extras + ["COMMIT"]).joined(separator: ";\n"))
            return copied
        } catch {
            _ = try? conn.execute("ROLLBACK")
            throw error
        }
    }
}
