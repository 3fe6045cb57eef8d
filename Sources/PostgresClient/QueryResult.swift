/// The rows and metadata returned by one statement, decoded as text.
public struct QueryResult: Sendable {
    /// Column names in order.
    public let columns: [String]
    /// Row values in text format; nil is SQL NULL.
    public let rows: [[String?]]
    /// Rows affected, from the command tag (INSERT/UPDATE/DELETE/COPY/SELECT).
    public let affectedRows: Int
    /// The command tag, e.g. `INSERT 0 3`.
    public let commandTag: String

    public init(columns: [String], rows: [[String?]], affectedRows: Int, commandTag: String) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }

    /// The value at a row and named column.
    public func value(_ row: Int, _ column: String) -> String? {
        guard let i = columns.firstIndex(of: column) else { return nil }
        return rows[row][i]
    }

    /// The first column of the first row, if any.
    public var scalar: String? { rows.first?.first ?? nil }

    /// Rows as dictionaries keyed by column name.
    public var dictionaries: [[String: String?]] {
        rows.map { row in
            var d: [String: String?] = [:]
            for (i, c) in columns.enumerated() { d[c] = row[i] }
            return d
        }
    }
}
