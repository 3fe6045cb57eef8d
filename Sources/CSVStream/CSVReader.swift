import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One CSV record: its fields and where it came from.
public struct CSVRecord: Sendable {
    /// Decoded field values (quotes removed, doubled quotes collapsed).
    public var fields: [String]
    /// The physical line (1-based) on which the record starts.
    public var line: Int
    /// The record's text as it appears in the file (without the line terminator; invalid UTF-8 shown as U+FFFD).
    public var raw: String
    /// The record's bytes exactly as in the file (without the line terminator).
    public var bytes: [UInt8]
}

/// Errors reading CSV text.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    /// A quoted field was still open at the end of the file (its bytes are the reader's ``CSVReader/rawRecordBytes``).
    case unterminatedQuote(line: Int)
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// A record (or the header) is longer than its limit (see ``CSVLimits``); reading stops there.
    case recordTooLong(path: String, line: Int, limit: Int, header: Bool)

    public var description: String {
        switch self {
        case .unterminatedQuote(let line): return "line \(line): quoted field is not closed before the end of the file"
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        case .recordTooLong(let path, let line, let limit, let header):
            return header
                ? "\(path): line \(line): the header is longer than \(limit) bytes (the header limit) without ending; not a CSV export"
                : "\(path): line \(line): a record is longer than \(limit) bytes (the record limit); a quoted field never closed?"
        }
    }
}

/// Size limits of one CSV input, so a file without line ends (or an endless device) fails fast.
///
/// The reader's memory is one chunk plus the longest record, and a record is re-scanned once per chunk
/// read while it is incomplete, so the record limit bounds both memory and the time spent on one record.
public struct CSVLimits: Sendable, Equatable {
    /// Longest header (first record), in bytes.
    public var headerBytes: Int
    /// Longest record after the header, in bytes (quoted line breaks included).
    public var recordBytes: Int

    public init(headerBytes: Int, recordBytes: Int) {
        self.headerBytes = headerBytes
        self.recordBytes = recordBytes
    }

    /// 64 KiB for the header (a Hevy header is 160 bytes), 1 MiB for a record (a Hevy set row is 80–300 bytes;
    /// a workout description or exercise note of hundreds of KiB still fits).
    public static let standard = CSVLimits(headerBytes: 64 << 10, recordBytes: 1 << 20)
}

/// A streaming RFC 4180 reader: quoted fields with commas, doubled quotes and real newlines;
/// a leading UTF-8 BOM; CRLF or LF; a final newline or none. Blank lines are skipped. The one CSV
/// parser of the project: the Hevy and nutrition loaders and the model runner's seeds read through it.
///
/// Two ways to read: ``next()`` returns each record as strings; ``advance()`` only finds the field
/// boundaries of the next record inside the reader's buffer, and the `field…` accessors read them
/// in place (no string is made unless asked for). Memory stays flat whatever the file size: the
/// buffer holds one chunk plus the longest record.
public final class CSVReader {
    private let fd: Int32
    private let path: String
    @usableFromInline var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var position = 0
    private var eof = false
    private var nextLine = 1
    private var atStart = true
    private let chunkSize: Int
    /// The field separator (a comma unless the input says otherwise, e.g. a seed's `delimiter`).
    public let delimiter: UInt8
    /// The header and record size limits.
    public let limits: CSVLimits
    /// Whether the first record (the header) has been read.
    private var headerRead = false
    /// Bytes consumed from the source so far (for progress reporting).
    public private(set) var bytesRead: Int = 0
    /// Called with every chunk read from the source (e.g. to hash the file while reading it).
    public var onChunk: ((UnsafeRawBufferPointer) -> Void)?

    /// Where one field of the current record lies in `storage`.
    @usableFromInline struct FieldSpan {
        @usableFromInline var start: Int
        @usableFromInline var end: Int
        @usableFromInline var quoted: Bool
        @usableFromInline var escaped: Bool

        @usableFromInline init(start: Int, end: Int, quoted: Bool, escaped: Bool) {
            self.start = start; self.end = end; self.quoted = quoted; self.escaped = escaped
        }
    }

    // The current record (after `advance()`): its fields' spans.
    @usableFromInline var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCapacity = 32
    /// Number of fields of the current record.
    public private(set) var fieldCount = 0
    /// Physical line (1-based) on which the current record starts.
    public private(set) var line = 0
    @usableFromInline var recordStart = 0
    @usableFromInline var recordEnd = 0

    /// Reads the file at `url`; `name` is how errors call it (default: its path).
    public init(url: URL, name: String? = nil, chunkSize: Int = 1 << 20, limits: CSVLimits = .standard,
                delimiter: UInt8 = UInt8(ascii: ",")) throws {
        path = name ?? url.path
        self.delimiter = delimiter
        fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw CSVError.unreadable(path: path, reason: "cannot open file (\(String(cString: strerror(errno))))") }
        self.limits = limits
        self.chunkSize = max(chunkSize, 4)
        capacity = self.chunkSize * 2
        storage = .allocate(capacity: capacity)
        spans = .allocate(capacity: spanCapacity)
    }

    /// Reads from an in-memory string (tests, small inputs).
    public convenience init(text: String, limits: CSVLimits = .standard, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.init(bytes: Array(text.utf8), limits: limits, delimiter: delimiter)
    }

    /// Reads from in-memory bytes (tests, small inputs); `name` is how errors call it.
    public init(bytes: [UInt8], name: String = "input", limits: CSVLimits = .standard, delimiter: UInt8 = UInt8(ascii: ",")) {
        fd = -1
        path = name
        self.delimiter = delimiter
        self.limits = limits
        chunkSize = 1 << 20
        capacity = max(bytes.count, 1)
        storage = .allocate(capacity: capacity)
        storage.initialize(from: bytes, count: bytes.count)
        count = bytes.count
        eof = true
        bytesRead = bytes.count
        spans = .allocate(capacity: spanCapacity)
    }

    deinit {
        if fd >= 0 { close(fd) }
        storage.deallocate()
        spans.deallocate()
    }

    /// Moves the unread bytes to the front and reads one more chunk; false at the end of the input.
    private func fill() throws -> Bool {
        guard !eof, fd >= 0 else { return false }
        if position > 0 {
            if count > position { memmove(storage, storage + position, count - position) }
            count -= position
            position = 0
        }
        if capacity - count < chunkSize {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, count + chunkSize))
            bigger.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = bigger
            capacity = max(capacity * 2, count + chunkSize)
        }
        let n = read(fd, storage + count, chunkSize)
        if n < 0 { throw CSVError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        if n == 0 { eof = true; return false }
        onChunk?(UnsafeRawBufferPointer(start: storage + count, count: n))
        count += n
        bytesRead += n
        return true
    }

    /// Finds the next record's fields; false at the end of the input.
    ///
    /// Throws ``CSVError/unterminatedQuote(line:)`` when a quoted field is still open at the end.
    public func advance() throws -> Bool {
        if atStart {
            while count - position < 3, try fill() {}
            if count - position >= 3, storage[position] == 0xEF, storage[position + 1] == 0xBB, storage[position + 2] == 0xBF {
                position += 3
            }
            atStart = false
        }
        while true {
            if position >= count, !(try fill()) { return false }
            switch try scanRecord() {
            case .record: headerRead = true; return true
            case .blank: continue
            case .needMore:
                try checkLength(count - position)
                if !(try fill()) { eof = true }
            }
        }
    }

    private enum ScanOutcome { case record, blank, needMore }

    /// Throws ``CSVError/recordTooLong(path:line:limit:header:)`` when `length` bytes of the record at `nextLine`
    /// are past the limit (the header's for the first record).
    @inline(__always)
    private func checkLength(_ length: Int) throws {
        let limit = headerRead ? limits.recordBytes : limits.headerBytes
        if length > limit { throw CSVError.recordTooLong(path: path, line: nextLine, limit: limit, header: !headerRead) }
    }

    /// Scans one record from `position`; `.needMore` leaves `position` at the record's start.
    private func scanRecord() throws -> ScanOutcome {
        let p = storage
        let n = count
        let delimiter = self.delimiter
        let start = position
        var i = start
        var fieldStart = i
        var inQuotes = false
        var quoted = false
        var escaped = false
        var newlines = 0
        var fields = 0
        func addField(_ end: Int) {
            if fields == spanCapacity { growSpans() }
            (spans + fields).initialize(to: FieldSpan(start: fieldStart, end: end, quoted: quoted, escaped: escaped))
            fields += 1
        }
        while i < n {
            let b = p[i]
            if inQuotes {
                if b != 0x22 {
                    // jump to the next quote; count the newlines skipped (quoted fields may span lines)
                    guard let q = memchr(p + i, 0x22, n - i) else {
                        newlines += countNewlines(p + i, n - i)
                        i = n
                        continue
                    }
                    let next = p.distance(to: q.assumingMemoryBound(to: UInt8.self))
                    newlines += countNewlines(p + i, next - i)
                    i = next
                    continue
                }
                // a quote: doubled, it is one quote of the text; single, it closes the field
                if i + 1 < n {
                    if p[i + 1] == 0x22 { escaped = true; i += 2; continue }
                    inQuotes = false; i += 1; continue
                }
                if eof { inQuotes = false; i += 1; continue }
                return .needMore                                  // one more byte decides
            }
            if b == delimiter {
                addField(i)
                quoted = false; escaped = false
                i += 1; fieldStart = i
            } else if b == 0x0A {
                var end = i
                if end > fieldStart, p[end - 1] == 0x0D { end -= 1 }
                try checkLength(end - start)
                addField(end)
                return finish(start: start, end: end, next: i + 1, newlines: newlines + 1, fields: fields)
            } else if b == 0x22, i == fieldStart {
                inQuotes = true; quoted = true; i += 1
            } else {
                i += 1
            }
        }
        if !eof { return .needMore }
        if inQuotes {
            // the rest of the input is the broken record: keep its bytes readable, consume them
            line = nextLine
            recordStart = start; recordEnd = n; fieldCount = 0
            position = n
            throw CSVError.unterminatedQuote(line: nextLine)
        }
        var end = n
        if end > fieldStart, p[end - 1] == 0x0D { end -= 1 }
        try checkLength(end - start)
        addField(end)
        return finish(start: start, end: end, next: n, newlines: newlines, fields: fields)
    }

    private func growSpans() {
        let bigger = UnsafeMutablePointer<FieldSpan>.allocate(capacity: spanCapacity * 2)
        bigger.moveInitialize(from: spans, count: spanCapacity)
        spans.deallocate()
        spans = bigger
        spanCapacity *= 2
    }

    /// Line feeds in `count` bytes at `p`.
    @inline(__always)
    private func countNewlines(_ p: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        var lines = 0
        var at = p
        var left = count
        while left > 0, let nl = memchr(at, 0x0A, left) {
            let hit = nl.assumingMemoryBound(to: UInt8.self)
            lines += 1
            left -= at.distance(to: hit) + 1
            at = hit + 1
        }
        return lines
    }

    private func finish(start: Int, end: Int, next: Int, newlines: Int, fields: Int) -> ScanOutcome {
        line = nextLine
        nextLine += max(newlines, 1)
        position = next
        if end == start { return .blank }
        fieldCount = fields
        recordStart = start
        recordEnd = end
        return .record
    }

    /// The current record's `i`-th field, decoded (quotes removed, doubled quotes collapsed).
    ///
    /// Lenient like most readers: text after a closing quote is kept.
    @inline(never)
    public func fieldString(_ i: Int) -> String {
        let span = spans[i]
        let from = span.start, to = span.end
        guard from < to else { return "" }
        func text(_ a: Int, _ b: Int) -> String {
            String(decoding: UnsafeBufferPointer(start: storage + a, count: b - a), as: UTF8.self)
        }
        if !span.quoted { return text(from, to) }
        var lo = from + 1
        var hi = to
        var close = hi - 1
        while close >= lo, storage[close] != 0x22 { close -= 1 }
        if hi > lo, close >= lo {
            if close + 1 == hi { hi = close } else {
                let body = text(lo, close) + text(close + 1, hi)
                return span.escaped ? body.replacingOccurrences(of: "\"\"", with: "\"") : body
            }
        }
        if lo > hi { lo = hi }
        let s = text(lo, hi)
        return span.escaped ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// Whether the current record's `i`-th field was quoted (`""` is an empty text, an empty unquoted field nothing).
    public func isQuoted(_ i: Int) -> Bool { spans[i].quoted }

    /// The current record's `i`-th field as bytes in place when it needs no decoding
    /// (unquoted, or quoted without doubled quotes); nil otherwise.
    @inlinable @inline(__always)
    public func simpleField(_ i: Int) -> UnsafeBufferPointer<UInt8>? {
        let span = spans[i]
        let from = span.start, to = span.end
        if !span.quoted { return UnsafeBufferPointer(start: storage + from, count: to - from) }
        if span.escaped || to - from < 2 || storage[to - 1] != 0x22 { return nil }
        return UnsafeBufferPointer(start: storage + from + 1, count: to - from - 2)
    }

    /// Calls `body` with the decoded bytes of the current record's `i`-th field (valid only inside `body`).
    @inlinable @inline(__always)
    public func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let simple = simpleField(i) { return try body(simple) }
        var s = fieldString(i)
        return try s.withUTF8(body)
    }

    /// The current record's text as in the file (without the line terminator; invalid UTF-8 shown as U+FFFD).
    public var rawRecord: String {
        String(decoding: rawRecordBytes, as: UTF8.self)
    }

    /// The current record's bytes exactly as in the file (without the line terminator), valid until the next
    /// ``advance()``. After ``CSVError/unterminatedQuote(line:)``: every byte from that record's start to the end.
    @inlinable
    public var rawRecordBytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage + recordStart, count: recordEnd - recordStart)
    }

    /// The first field of the current record that holds a NUL byte or invalid UTF-8, and which; nil when none does.
    ///
    /// One pass over the record for the common case (no NUL, all ASCII); fields are examined one by one only
    /// when that pass finds something.
    public func encodingProblem() -> (field: Int, problem: EncodingProblem)? {
        let record = rawRecordBytes
        let hasNul = memchr(record.baseAddress!, 0, record.count) != nil
        if !hasNul, UTF8Check.firstInvalid(record) == nil { return nil }
        for i in 0..<fieldCount {
            let span = spans[i]
            let bytes = UnsafeBufferPointer(start: storage + span.start, count: span.end - span.start)
            if hasNul, memchr(bytes.baseAddress!, 0, bytes.count) != nil { return (i, .nul) }
            if UTF8Check.firstInvalid(bytes) != nil { return (i, .invalidUTF8) }
        }
        return (max(fieldCount - 1, 0), hasNul ? .nul : .invalidUTF8)   // not reached: a field holds it
    }

    /// The next record, or nil at the end of the input.
    public func next() throws -> CSVRecord? {
        guard try advance() else { return nil }
        return CSVRecord(fields: (0..<fieldCount).map(fieldString), line: line, raw: rawRecord, bytes: Array(rawRecordBytes))
    }
}
