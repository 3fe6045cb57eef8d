/// Builds rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes)
/// directly as UTF-8 bytes, reusing one buffer for every row.
public struct CopyTextRow {
    @usableFromInline var storage: [UInt8] = []
    @usableFromInline var fields = 0

    /// An empty row.
    public init() { storage.reserveCapacity(512) }

    /// The row's bytes so far (without the newline ``endRow()`` adds).
    @inlinable public var bytes: [UInt8] { storage }

    /// Starts a new row, keeping the buffer's capacity.
    @inlinable
    public mutating func reset() {
        storage.removeAll(keepingCapacity: true)
        fields = 0
    }

    /// Starts the next field (a tab after the first).
    @inlinable
    mutating func beginField() {
        if fields > 0 { storage.append(0x09) }
        fields += 1
    }

    /// Adds a text field, escaped; nil is NULL.
    @inlinable
    public mutating func add(_ value: String?) {
        beginField()
        guard var value else { storage.append(0x5C); storage.append(0x4E); return }   // \N
        value.withUTF8 { utf8 in
            for b in utf8 {
                switch b {
                case 0x5C: storage.append(0x5C); storage.append(0x5C)   // \\
                case 0x09: storage.append(0x5C); storage.append(0x74)   // \t
                case 0x0A: storage.append(0x5C); storage.append(0x6E)   // \n
                case 0x0D: storage.append(0x5C); storage.append(0x72)   // \r
                default: storage.append(b)
                }
            }
        }
    }

    /// Adds an integer field; nil is NULL.
    @inlinable
    public mutating func add(_ value: Int?) {
        guard let value else { add(nil as String?); return }
        beginField()
        appendInteger(value, to: &storage)
    }

    /// Adds `value` as a `bytea` in hex form (`\\x…` once COPY has read its escapes).
    public mutating func add(bytea value: [UInt8]) {
        beginField()
        storage.append(0x5C); storage.append(0x5C); storage.append(0x78)              // \\x
        Hex.appendLowercase(value, to: &storage)
    }

    /// Adds a field whose bytes `write` appends as they are: text that needs no escaping (dates, numbers).
    @inlinable
    public mutating func addUnescaped(_ write: (inout [UInt8]) -> Void) {
        beginField()
        write(&storage)
    }

    /// Ends the row with its newline.
    @inlinable
    public mutating func endRow() { storage.append(0x0A) }

    /// The row with its terminating newline, as text (for tests and small writers).
    public var line: String {
        var copy = self
        copy.endRow()
        return String(decoding: copy.storage, as: UTF8.self)
    }
}
