import PostgresClient
import CSVStream
import FitDomain
import Foundation
import Testing
import TestSupport
@testable import FitLoader

/// Property and mutation fuzzing of the CSV reader and the row validator (issue 10 item 10).
///
/// Inputs are bounded (records of at most a few KiB, small limits), so a hang shows as a test that does not end.
@Suite("CSV reader fuzzing")
struct CSVReaderFuzzTests {
    /// Pieces random fields are made of: the characters RFC 4180 quoting is about, and multi-byte UTF-8.
    static let pieces = ["a", "b", "7", " ", ",", "\"", "\"\"", "\n", "\r", "\r\n", "é", "日本", "🏋️‍♀️", "\t", "\0", "x,y"]

    static func randomField(_ rng: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    /// RFC 4180 encoding; fields that need quotes get them, others sometimes.
    static func encode(_ records: [[String]], crlf: Bool, finalNewline: Bool, rng: inout SplitMix64) -> String {
        let lines = records.map { fields in
            fields.map { f -> String in
                let needs = f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                    || (fields.count == 1 && f.isEmpty)
                return needs || Bool.random(using: &rng) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
            }.joined(separator: ",")
        }
        return lines.joined(separator: crlf ? "\r\n" : "\n") + (finalNewline ? (crlf ? "\r\n" : "\n") : "")
    }

    /// Reads every record of `reader`; only ``CSVError`` may be thrown.
    static func drain(_ reader: CSVReader) throws -> [CSVRecord] {
        var out: [CSVRecord] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    @Test func randomFieldsRoundTripThroughRFC4180() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-roundtrip-\(UUID().uuidString.prefix(8)).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try FuzzBudget.run("csv-roundtrip", shortIterations: 400) { rng, i in
            let width = Int.random(in: 1...5, using: &rng)
            let records = (0..<Int.random(in: 1...12, using: &rng)).map { _ in (0..<width).map { _ in Self.randomField(&rng) } }
            let text = Self.encode(records, crlf: Bool.random(using: &rng), finalNewline: Bool.random(using: &rng), rng: &rng)
            let whole = try Self.drain(CSVReader(text: text))
            #expect(whole.map(\.fields) == records, "\(text.debugDescription)")
            // the physical line of each record is one more than the line feeds before it
            var expectedLine = 1
            for (r, rec) in zip(whole, records) {
                #expect(r.line == expectedLine)
                expectedLine += rec.joined().filter { $0 == "\n" || $0 == "\r\n" }.count + 1
            }
            if i % 8 == 0 {                                                  // the same through a file in tiny chunks
                try Data(text.utf8).write(to: url)
                let chunked = try Self.drain(CSVReader(url: url, chunkSize: Int.random(in: 4...19, using: &rng)))
                #expect(chunked.map(\.fields) == records && chunked.map(\.line) == whole.map(\.line))
            }
        }
    }

    /// The first lines of each real export (or a small generated one), as mutation seeds.
    static func seeds() throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        if let dir = TestPaths.sharedRealData?.appendingPathComponent("hevy"),
           let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
            for name in names.sorted() where name.hasSuffix(".csv") {
                let data = try Data(contentsOf: dir.appendingPathComponent(name))
                seeds.append(Array(data.prefix(4_096)))
            }
        }
        if seeds.isEmpty {
            seeds.append(Array("""
                "title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"
                "Push","8 Apr 2026, 16:50","8 Apr 2026, 17:50","two\nlines","Bench Press (Barbell)",,"",0,"normal",100,5,,,8.5

                """.utf8))
        }
        return seeds
    }

    @Test func mutatedExportsGiveRecordsOrTypedErrors() throws {
        let seeds = try Self.seeds()
        let limits = CSVLimits(headerBytes: 1_024, recordBytes: 2_048)
        try FuzzBudget.run("csv-mutation", shortIterations: 600) { rng, _ in
            let input = seeds.randomElement(using: &rng)!.mutated(&rng, times: Int.random(in: 1...12, using: &rng))
            let reader = CSVReader(bytes: input, limits: limits)
            var lastLine = 0
            var records = 0
            do {
                while try reader.advance() {
                    records += 1
                    #expect(reader.line > lastLine)
                    lastLine = reader.line
                    #expect(reader.rawRecordBytes.count <= (records == 1 ? limits.headerBytes : limits.recordBytes))
                    let problem = reader.encodingProblem()
                    for f in 0..<reader.fieldCount { _ = reader.fieldString(f) }
                    if problem == nil { #expect(String(validating: Array(reader.rawRecordBytes), as: UTF8.self) != nil) }
                }
            } catch let e as CSVError {
                if case .unterminatedQuote = e { #expect(try reader.advance() == false) }   // the rest was the broken record
            }
        }
    }

    @Test func mutatedRowsValidateOrAreRejectedWithAReason() throws {
        let seeds = try Self.seeds()
        try FuzzBudget.run("row-validator", shortIterations: 600) { rng, _ in
            let seed = seeds.randomElement(using: &rng)!
            let headerEnd = seed.firstIndex(of: 0x0A)!
            guard let header = try? HevyCSVHeader(fields: try CSVReader(bytes: Array(seed[..<headerEnd])).next()!.fields) else { return }
            let body = Array(seed[(headerEnd + 1)...]).mutated(&rng, times: Int.random(in: 1...8, using: &rng))
            let reader = CSVReader(bytes: body)
            let language = ExportLanguage.allCases.randomElement(using: &rng)!
            var validator = HevyRowValidator(header: header, dates: DateResolver(language: language))
            let payload = ByteBuffer(), binary = ByteBuffer()
            do {
                while try reader.advance() {
                    payload.removeAll(); binary.removeAll()
                    switch validator.validate(reader, payload: payload, binary: binary) {
                    case .success(let row):
                        #expect(reader.encodingProblem() == nil)
                        #expect(row.line == reader.line && !row.exerciseTitle.isEmpty && payload.count > 0)
                        #expect(!TitleNormalizer.isTooLong(row.workout.title))
                    case .failure(let r):
                        #expect(!r.reason.isEmpty && r.line == reader.line && r.bytes == Array(reader.rawRecordBytes))
                        #expect(!r.raw.utf8.contains(0) && !r.reason.utf8.contains(0))
                    }
                }
            } catch is CSVError {}
        }
    }
}
