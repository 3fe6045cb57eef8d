/// Builds rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes)
/// directly as UTF-8 bytes, reusing one buffer for every row.
struct CopyTextRow {
    private(set) var bytes: [UInt8] = []
    private var fields = 0

    init() { bytes.reserveCapacity(512) }

    /// Starts a new row, keeping the buffer's capacity.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        fields = 0
    }

    mutating func add(_ value: String?) {
        if fields > 0 { bytes.append(0x09) }
        fields += 1
        guard var value else { bytes.append(0x5C); bytes.append(0x4E); return }   // \N
        value.withUTF8 { utf8 in
            for b in utf8 {
                switch b {
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)   // \\
                case 0x09: bytes.append(0x5C); bytes.append(0x74)   // \t
                case 0x0A: bytes.append(0x5C); bytes.append(0x6E)   // \n
                case 0x0D: bytes.append(0x5C); bytes.append(0x72)   // \r
                default: bytes.append(b)
                }
            }
        }
    }

    mutating func add(_ value: Int?) {
        guard let value else { add(nil as String?); return }
        if fields > 0 { bytes.append(0x09) }
        fields += 1
        appendInteger(value, to: &bytes)
    }

    /// Adds `value` as a `bytea` in hex form (`\\x…` once COPY has read its escapes).
    mutating func add(bytea value: [UInt8]) {
        if fields > 0 { bytes.append(0x09) }
        fields += 1
        bytes.append(0x5C); bytes.append(0x5C); bytes.append(0x78)              // \\x
        let digits: StaticString = "0123456789abcdef"
        let d = digits.utf8Start
        for b in value { bytes.append(d[Int(b >> 4)]); bytes.append(d[Int(b & 0x0F)]) }
    }

    /// Adds a local date-time as `YYYY-MM-DD HH:MM`.
    mutating func add(_ value: LocalDateTime) {
        if fields > 0 { bytes.append(0x09) }
        fields += 1
        value.appendText(to: &bytes)
    }

    /// Adds the date of a local date-time as `YYYY-MM-DD`.
    mutating func add(date value: LocalDateTime) {
        if fields > 0 { bytes.append(0x09) }
        fields += 1
        value.appendDate(to: &bytes)
    }

    /// Ends the row with its newline.
    mutating func endRow() { bytes.append(0x0A) }

    /// The row with its terminating newline, as text (for tests and small writers).
    var line: String {
        var copy = self
        copy.endRow()
        return String(decoding: copy.bytes, as: UTF8.self)
    }
}

/// Turns the mobile app's literal `\n` escapes into newlines (the raw text is stored beside it).
enum NoteText {
    static func unescape(_ s: String) -> String {
        s.contains("\\n") ? s.replacingOccurrences(of: "\\n", with: "\n") : s
    }
}
