import PostgresClient
import Testing
@testable import FitLoader

@Suite("Byte buffer and the COPY encoders")
struct ByteBufferTests {
    @Test func integersMatchSwiftsOwnDecimalText() {
        let values = [0, 7, 9, 10, 99, 100, 12_345, -1, -10, -987_654_321, Int(Int32.max), 999_999_999_999_999_999,
                      1_000_000_000_000_000_000, Int.max, Int.min + 1, Int.min]
        let buffer = ByteBuffer(capacity: 16)                                 // grows several times
        var array: [UInt8] = []
        for v in values {
            buffer.appendInteger(v); buffer.append(0x2C)
            appendInteger(v, to: &array); array.append(0x2C)
        }
        let expected = values.map(String.init).joined(separator: ",") + ","
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == expected)
        #expect(String(decoding: array, as: UTF8.self) == expected)
    }

    @Test func appendsTruncatesAndCopiesRanges() {
        let a = ByteBuffer(capacity: 4)
        a.append(contentsOf: Array("hello, world".utf8))
        let mark = a.count
        a.append(contentsOf: Array(" and more".utf8))
        a.removeLast(from: mark)
        #expect(String(decoding: a.bytes, as: UTF8.self) == "hello, world")
        let b = ByteBuffer()
        b.append(a, 7..<12)
        #expect(String(decoding: b.bytes, as: UTF8.self) == "world")
        b.removeAll()
        #expect(b.isEmpty && b.bytes.isEmpty)
    }

    @Test func localDateTimeText() {
        let t = LocalDateTime(year: 2026, month: 4, day: 8, hour: 6, minute: 5)!
        #expect(t.description == "2026-04-08 06:05")
        #expect(LocalDateTime(year: 1900, month: 12, day: 31, hour: 23, minute: 59)!.description == "1900-12-31 23:59")
        var row = CopyTextRow()
        row.add(date: t); row.add(t)
        #expect(row.line == "2026-04-08\t2026-04-08 06:05\n")
    }

    @Test func hexAndByteaFields() {
        #expect(Hex.lowercase([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        #expect(Hex.lowercase([UInt8]()) == "")
        var row = CopyTextRow()
        row.add("a\tb"); row.add(bytea: [0xDE, 0xAD, 0x01]); row.add(nil as Int?)
        #expect(row.line == "a\\tb\t\\\\xdead01\t\\N\n")
    }

    /// The advisory-lock keys are FNV-1a 64 of fixed texts: a process of an older version must compute the same key.
    @Test func fnv1aVectorsAndLockKeys() {
        #expect(FNV1a.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(DataLock.key == -2_867_679_160_054_883_590)
        #expect(FNV1a.advisoryKey("fitdata:hevy_sync:me") == -5_860_179_547_173_233_382)
    }
}
