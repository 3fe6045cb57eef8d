import CSVStream
import Foundation
import PostgresClient

/// Loads CSV seeds into tables with COPY, swapped in atomically like table models.
enum SeedLoader {
    /// A seed's rows as read by ``CSVReader`` (the project's one CSV parser): the header, then the records.
    /// An empty unquoted field is nil (NULL), a quoted one (`""`) the empty text.
    struct Table {
        var header: [String]
        var rows: [[String?]]
    }

    /// Reads `bytes` (seed `seed`'s file at `file`) split on `delimiter`; nil when there is no header.
    ///
    /// Throws ``ProjectError`` naming the file and line for an unclosed quote, a field that is not UTF-8 or
    /// holds a NUL byte, a record longer than ``CSVLimits/standard`` allows, and a row whose field count
    /// differs from the header's.
    static func read(_ bytes: [UInt8], seed: String, file: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> Table? {
        let reader = CSVReader(bytes: bytes, name: file, delimiter: delimiter)
        var header: [String]?
        var rows: [[String?]] = []
        func failure(_ message: String, line: Int) -> ProjectError {
            ProjectError("seed \(seed): \(message)", at: SourceLocation(file: file, line: line))
        }
        do {
            while try reader.advance() {
                if let (field, problem) = reader.encodingProblem() {
                    let name = header.map { field < $0.count ? "column '\($0[field])'" : "field \(field + 1)" } ?? "the header"
                    throw failure(problem.reason(field: name), line: reader.line)
                }
                let fields = (0..<reader.fieldCount).map { i -> String? in
                    let text = reader.fieldString(i)
                    return text.isEmpty && !reader.isQuoted(i) ? nil : text
                }
                guard let names = header else {
                    header = fields.map { ($0 ?? "").trimmingCharacters(in: .whitespaces) }
                    continue
                }
                guard fields.count == names.count else {
                    throw failure("row has \(fields.count) fields, header has \(names.count)", line: reader.line)
                }
                rows.append(fields)
            }
        } catch let e as CSVError {
            switch e {
            case .unterminatedQuote(let line): throw failure("a quoted field is not closed before the end of the file", line: line)
            case .recordTooLong(_, let line, let limit, _): throw failure("a record is longer than \(limit) bytes", line: line)
            case .unreadable(_, let reason): throw failure(reason, line: 1)
            }
        }
        return header.map { Table(header: $0, rows: rows) }
    }

    /// The type dbt-postgres would infer for a column: integer (bigint past 32 bits, where dbt's `integer` would fail
    /// to load), float8 when a number has decimals (dbt-adapters' `convert_number_type`), boolean, date,
    /// timestamp or text.
    static func inferType(_ values: [String?]) -> String {
        let present = values.compactMap { $0 }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !present.isEmpty else { return "text" }
        func all(_ p: (String) -> Bool) -> Bool { present.allSatisfy(p) }
        if all({ Int64($0) != nil }) {
            return all({ Int32($0) != nil }) ? "integer" : "bigint"
        }
        if all(isDecimal) { return "double precision" }
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
    /// `preHooks` run first inside the seed's transaction; `extras` (post-hooks, grants, comments) before its commit.
    static func load(_ seed: Seed, project: Project, conn: Connection, preHooks: [String] = [], extras: [String], rebuilt: [Relation]) throws -> Int {
        let url = project.root.appendingPathComponent(seed.path)
        let bytes = try [UInt8](Data(contentsOf: url))
        let delim = seed.config["delimiter"]?.stringValue.flatMap { $0.utf8.first } ?? UInt8(ascii: ",")
        guard let table = try read(bytes, seed: seed.name, file: seed.path, delimiter: delim) else {
            throw ProjectError("seed \(seed.name) is empty (no header row)", at: SourceLocation(file: seed.path, line: 1))
        }
        let header = table.header, rows = table.rows
        if let dup = Dictionary(grouping: header, by: { $0 }).first(where: { $0.value.count > 1 }) {
            throw ProjectError("seed \(seed.name): column '\(dup.key)' appears twice in the header", at: SourceLocation(file: seed.path, line: 1))
        }
        let declared = Dictionary((seed.config["column_types"]?.dictValue ?? []).map { ($0.0, $0.1.stringValue ?? "text") }, uniquingKeysWith: { _, b in b })
        for k in declared.keys where !header.contains(k) {
            project.warnings.warn("seed \(seed.name): column_types names '\(k)', which is not a column", at: SourceLocation(file: seed.path, line: 1))
        }
        let types = header.enumerated().map { i, name in declared[name] ?? inferType(rows.map { $0[i] }) }
        let tmp = Materializer.tempName(seed.relation)
        let q = Materializer.q
        let cols = zip(header, types).map { "\(q($0)) \($1)" }.joined(separator: ", ")
        try conn.execute((["BEGIN"] + preHooks).joined(separator: ";\n"))
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
