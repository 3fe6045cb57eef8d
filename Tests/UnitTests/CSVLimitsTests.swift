import CSVStream
import Foundation
import Testing
@testable import FitLoader

/// Header and record size limits, the bytes of broken records, and encoding checks of the CSV reader.
@Suite("CSV reader limits and encodings")
struct CSVLimitsTests {
    let small = CSVLimits(headerBytes: 16, recordBytes: 32)

    func drain(_ r: CSVReader) throws -> Int {
        var n = 0
        while try r.next() != nil { n += 1 }
        return n
    }

    @Test func headerPastItsLimitNamesTheLineAndLimit() throws {
        #expect(throws: CSVError.recordTooLong(path: "input", line: 1, limit: 16, header: true)) {
            try drain(CSVReader(text: String(repeating: "h", count: 17) + "\nx\n", limits: small))
        }
        #expect(try drain(CSVReader(text: String(repeating: "h", count: 16) + "\nx\n", limits: small)) == 2)
    }

    @Test func recordPastItsLimitNamesItsFirstLine() throws {
        let text = "h\nok\n\"" + String(repeating: "r", count: 20) + "\n" + String(repeating: "r", count: 20) + "\"\nafter\n"
        #expect(throws: CSVError.recordTooLong(path: "input", line: 3, limit: 32, header: false)) {
            try drain(CSVReader(text: text, limits: small))
        }
    }

    @Test func limitsHoldAcrossChunksOfAFile() throws {
        // read in 5-byte chunks: an incomplete record is measured while it grows, not only once complete
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID()).csv")
        try ("h\n" + String(repeating: "x", count: 100)).write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: CSVError.recordTooLong(path: "named.csv", line: 2, limit: 32, header: false)) {
            try drain(CSVReader(url: url, name: "named.csv", chunkSize: 5, limits: small))
        }
    }

    @Test func devZeroEndsWithTheHeaderError() throws {
        let r = try CSVReader(url: URL(fileURLWithPath: "/dev/zero"), chunkSize: 1 << 16)
        #expect(throws: CSVError.recordTooLong(path: "/dev/zero", line: 1, limit: 64 << 10, header: true)) { try r.next() }
    }

    @Test func unterminatedQuoteKeepsEveryByteOfTheBrokenRecord() throws {
        let r = CSVReader(text: "a,b\n1,2\n3,\"open\nstill open\n")
        _ = try r.next(); _ = try r.next()
        #expect(throws: CSVError.unterminatedQuote(line: 3)) { try r.next() }
        #expect(Array(r.rawRecordBytes) == Array("3,\"open\nstill open\n".utf8))
        #expect(try r.next() == nil)
    }

    @Test func encodingProblemNamesTheFirstBadField() throws {
        func problem(_ bytes: [UInt8]) throws -> (Int, EncodingProblem)? {
            let r = CSVReader(bytes: bytes)
            _ = try r.advance()
            return r.encodingProblem().map { ($0.field, $0.problem) }
        }
        #expect(try problem(Array("a,\"b\",é,日本\n".utf8)) == nil)
        #expect(try problem([0x61, 0x2C, 0x62, 0x00, 0x2C, 0xFF]).map { $0.0 } == 1)
        #expect(try problem([0x61, 0x2C, 0x62, 0x00, 0x2C, 0xFF]).map { $0.1 } == .nul)
        #expect(try problem([0x61, 0x2C, 0x22, 0xED, 0xA0, 0x80, 0x22]).map { $0.0 } == 1)       // a surrogate
        #expect(try problem([0x61, 0x2C, 0x22, 0xED, 0xA0, 0x80, 0x22]).map { $0.1 } == .invalidUTF8)
    }

    @Test func utf8CheckAgreesWithTheStandardLibrary() {
        let cases: [[UInt8]] = [[], [0x41], [0xC3, 0xA9], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0x80], [0xE0, 0xA0, 0x80],
                                [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
                                [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80],
                                [0xE2, 0x82], Array("abcdefgh日本語ijklmnop".utf8)]
        for c in cases {
            let ours = c.withUnsafeBufferPointer { UTF8Check.firstInvalid($0) == nil }
            #expect(ours == (String(validating: c, as: UTF8.self) != nil), "\(c)")
        }
    }
}
