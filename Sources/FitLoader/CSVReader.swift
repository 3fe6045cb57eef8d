import Foundation

/// One CSV record: its fields and where it came from.
public struct CSVRecord: Sendable {
    /// Decoded field values (quotes removed, doubled quotes collapsed).
    public var fields: [String]
    /// The physical line (1-based) on which the record starts.
    public var line: Int
    /// The record's text exactly as it appears in the file (without the line terminator).
    public var raw: String
}

/// Errors reading CSV text.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    /// A quoted field was still open at the end of the file.
    case unterminatedQuote(line: Int)
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unterminatedQuote(let line): return "line \(line): quoted field is not closed before the end of the file"
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        }
    }
}

/// A streaming RFC 4180 reader: quoted fields with commas, doubled quotes and real newlines;
/// a leading UTF-8 BOM; CRLF or LF; a final newline or none. Blank lines are skipped.
///
/// Reads the input in chunks, so memory stays flat whatever the file size.
public final class CSVReader {
    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    private var position = 0
    private var eof = false
    private var nextLine = 1
    private var atStart = true
    private let chunkSize: Int
    /// Bytes consumed from the source so far (for progress reporting).
    public private(set) var bytesRead: Int = 0
    /// Called with every chunk read from the source (e.g. to hash the file while reading it).
    public var onChunk: ((ArraySlice<UInt8>) -> Void)?

    /// Reads the file at `url`.
    public init(url: URL, chunkSize: Int = 1 << 20) throws {
        do { handle = try FileHandle(forReadingFrom: url) }
        catch { throw CSVError.unreadable(path: url.path, reason: "cannot open file") }
        self.chunkSize = chunkSize
    }

    /// Reads from an in-memory string (tests, small inputs).
    public init(text: String) {
        handle = nil
        buffer = Array(text.utf8)
        eof = true
        chunkSize = 1 << 20
        bytesRead = buffer.count
    }

    deinit { try? handle?.close() }

    private func fill() throws -> Bool {
        guard !eof, let handle else { return false }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        let data: Data?
        do { data = try handle.read(upToCount: chunkSize) }
        catch { throw CSVError.unreadable(path: "input", reason: "\(error)") }
        guard let data, !data.isEmpty else { eof = true; return false }
        let start = buffer.count
        buffer.append(contentsOf: data)
        bytesRead += data.count
        onChunk?(buffer[start...])
        return true
    }

    /// The next record, or nil at the end of the input.
    public func next() throws -> CSVRecord? {
        while true {
            if atStart {
                while buffer.count - position < 3, try fill() {}
                if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
                    position += 3
                }
                atStart = false
            }
            if position >= buffer.count, !(try fill()) { return nil }
            if let record = try parseRecord() { return record }
        }
    }

    /// Parses one record starting at `position`; nil for a blank line (consumed).
    private func parseRecord() throws -> CSVRecord? {
        while true {
            let start = position
            var i = position
            var fields: [String] = []
            var fieldStart = i
            var inQuotes = false
            var quoted = false
            var hasEscapedQuote = false
            var newlines = 0
            var complete = false
            var recordEnd = i      // exclusive end of the record's text
            var next = i           // where the following record starts
            let count = buffer.count
            scan: while i < count {
                let b = buffer[i]
                if inQuotes {
                    if b == 0x22 {                       // "
                        if i + 1 < count {
                            if buffer[i + 1] == 0x22 { hasEscapedQuote = true; i += 2; continue }
                            inQuotes = false; i += 1; continue
                        } else if eof {
                            inQuotes = false; i += 1; continue
                        } else {
                            break scan                  // need one more byte to decide
                        }
                    }
                    if b == 0x0A { newlines += 1 }
                    i += 1
                    continue
                }
                switch b {
                case 0x22 where i == fieldStart:
                    inQuotes = true; quoted = true; i += 1
                case 0x2C:
                    fields.append(decodeField(fieldStart, i, quoted: quoted, escaped: hasEscapedQuote))
                    quoted = false; hasEscapedQuote = false
                    i += 1; fieldStart = i
                case 0x0A:
                    var end = i
                    if end > fieldStart, buffer[end - 1] == 0x0D { end -= 1 }
                    fields.append(decodeField(fieldStart, end, quoted: quoted, escaped: hasEscapedQuote))
                    recordEnd = end; next = i + 1; newlines += 1; complete = true
                    break scan
                default:
                    i += 1
                }
            }
            if !complete {
                if !eof {
                    // the record continues past the buffer: read more and parse it again from its start
                    position = start
                    if try fill() { continue }
                    return try parseRecord()
                }
                if inQuotes { throw CSVError.unterminatedQuote(line: nextLine) }
                var end = count
                if end > fieldStart, buffer[end - 1] == 0x0D { end -= 1 }
                fields.append(decodeField(fieldStart, end, quoted: quoted, escaped: hasEscapedQuote))
                recordEnd = end; next = count
            }
            let line = nextLine
            nextLine += max(newlines, complete ? 1 : 0)
            position = next
            if fields.count == 1, fields[0].isEmpty, !quoted, recordEnd == start || (recordEnd - start) <= 0 {
                return nil                              // blank line
            }
            let raw = String(decoding: buffer[start..<recordEnd], as: UTF8.self)
            return CSVRecord(fields: fields, line: line, raw: raw)
        }
    }

    private func decodeField(_ from: Int, _ to: Int, quoted: Bool, escaped: Bool) -> String {
        guard from < to else { return "" }
        if !quoted { return String(decoding: buffer[from..<to], as: UTF8.self) }
        // strip the opening quote and the closing quote (anything after it is kept, leniently)
        var lo = from + 1
        var hi = to
        if hi > lo, let close = buffer[lo..<hi].lastIndex(of: 0x22) {
            let tail = buffer[(close + 1)..<hi]
            if tail.isEmpty { hi = close } else {
                let body = String(decoding: buffer[lo..<close], as: UTF8.self) + String(decoding: tail, as: UTF8.self)
                return escaped ? body.replacingOccurrences(of: "\"\"", with: "\"") : body
            }
        }
        if lo > hi { lo = hi }
        let s = String(decoding: buffer[lo..<hi], as: UTF8.self)
        return escaped ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }
}
