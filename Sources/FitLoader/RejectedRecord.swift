import CSVStream

/// A rejected input record, kept verbatim with why.
public struct RejectedRecord: Error, Sendable {
    public var line: Int
    public var field: String?
    public var reason: String
    /// The record as readable text (what `raw.rejects.raw_record` holds): invalid UTF-8 and NUL bytes shown as U+FFFD.
    public var raw: String
    /// The record's bytes exactly as read (`raw.rejects.raw_bytes`).
    public var bytes: [UInt8]

    /// A reject of the record `bytes` (without its line terminator).
    init(line: Int, field: String?, reason: String, bytes: UnsafeBufferPointer<UInt8>) {
        self.line = line
        self.field = field
        self.reason = Self.text(Array(reason.utf8))
        self.bytes = Array(bytes)
        raw = Self.text(self.bytes)
    }

    /// A reject of `record` (its bytes kept as read).
    init(line: Int, field: String?, reason: String, record: CSVRecord) {
        self.line = line
        self.field = field
        self.reason = Self.text(Array(reason.utf8))
        self.bytes = record.bytes
        raw = Self.text(record.bytes)
    }

    /// `bytes` as text PostgreSQL can store: invalid UTF-8 and NUL bytes replaced by U+FFFD.
    static func text(_ bytes: [UInt8]) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        guard s.utf8.contains(0) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
    }
}
