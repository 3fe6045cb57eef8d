import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// Issue 10 item 6: one bad row is a reject (line, field, reason, original bytes), never a failed file.
@Suite("Hostile rows")
struct HostileRowTests {
    func load(_ url: URL, _ c: Connection) throws -> HevyCSVLoadSummary {
        try HevyCSVLoader(connection: c).load(try HevyCSVFile.inspect(url), options: .init(athleteId: "me", timezone: "UTC"))
    }

    /// Writes the header and `rows` (raw bytes, joined by LF) to a temporary file.
    func write(_ rows: [[UInt8]], finalNewline: Bool = true) throws -> URL {
        var bytes = Array(HevyFixture.header.utf8)
        for r in rows { bytes.append(0x0A); bytes += r }
        if finalNewline { bytes.append(0x0A) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString.prefix(8)).csv")
        try Data(bytes).write(to: url)
        return url
    }

    func row(_ title: String = "Push", notes: String = "", exercise: String = "Bench Press (Barbell)", index: Int) -> [UInt8] {
        Array(HevyFixture.row(title, exercise: exercise, notes: notes, index: index).utf8)
    }

    /// `row` with the bytes of `marker` (ASCII, unique in the row) replaced by `bytes`.
    func row(_ base: [UInt8], replacing marker: String, with bytes: [UInt8]) -> [UInt8] {
        let m = Array(marker.utf8)
        let at = (0...(base.count - m.count)).first { Array(base[$0..<($0 + m.count)]) == m }!
        return Array(base[..<at]) + bytes + Array(base[(at + m.count)...])
    }

    @Test func nulInvalidUTF8AndLongTitlesAreRejectsHoldingTheOriginalBytes() throws {
        let db = try TestDatabase.initialized(prefix: "hostile"); defer { db.drop() }
        let c = try db.connect()
        let nulNotes = row(row(notes: "NUL", index: 1), replacing: "NUL", with: [0x61, 0x00, 0x62])
        let nulTitle = row(row("TNUL", index: 0), replacing: "TNUL", with: [0x00])
        let badTitle = row(row("BAD", index: 0), replacing: "BAD", with: [0x50, 0xFF, 0x75])        // P\xFFu
        let overlong = row(row(exercise: "OVR", index: 2), replacing: "OVR", with: [0xC0, 0xAF])   // overlong "/"
        let longTitle = row(String(repeating: "t", count: 3_000), index: 0)
        let longExercise = row(exercise: String(repeating: "é", count: 1_500), index: 3)
        let rows = [row(index: 0), nulNotes, nulTitle, badTitle, overlong, longTitle, longExercise, row(index: 4)]
        let url = try write(rows)
        let s = try load(url, c)
        #expect(s.rowsRead == 8 && s.rowsRejected == 6 && s.setsNew == 2)
        let rejects = try c.query("""
            SELECT line_number, field, reason, raw_record, encode(raw_bytes, 'hex') FROM raw.rejects ORDER BY line_number
            """).rows
        try #require(rejects.map { $0[0] } == ["3", "4", "5", "6", "7", "8"])
        #expect(rejects.map { $0[1] } == ["exercise_notes", "title", "title", "exercise_title", "title", "exercise_title"])
        #expect(rejects.map { $0[2] } == ["exercise_notes contains a NUL byte", "title contains a NUL byte",
                                          "title is not valid UTF-8", "exercise_title is not valid UTF-8",
                                          "title is longer than 2000 bytes (the title limit)",
                                          "exercise_title is longer than 2000 bytes (the title limit)"])
        // the original bytes, exactly; the text column shows them readably
        let hex = { (b: [UInt8]) in b.map { String(format: "%02x", $0) }.joined() }
        #expect(rejects.map { $0[4] } == [nulNotes, nulTitle, badTitle, overlong, longTitle, longExercise].map(hex))
        #expect(rejects[2][3]?.contains("P\u{FFFD}u") == true && rejects[0][3]?.contains("a\u{FFFD}b") == true)
        // no workout was made from a replaced title
        #expect(try c.query("SELECT string_agg(DISTINCT title, ',') FROM core.workouts").scalar == "Push")
        #expect(try c.query("SELECT status, rows_read, rows_loaded, rows_rejected FROM meta.loads").rows == [["succeeded", "8", "2", "6"]])
    }

    @Test func titleAtTheLimitLoads() throws {
        let db = try TestDatabase.initialized(prefix: "hostile"); defer { db.drop() }
        let c = try db.connect()
        let title = String(repeating: "界", count: 666) + "ab"     // 2,000 bytes
        let s = try load(try write([row(title, exercise: String(repeating: "x", count: 2_000), index: 0)]), c)
        #expect(s.rowsRejected == 0 && s.setsNew == 1)
    }

    @Test func unclosedQuoteAtTheEndIsARejectHoldingItsLines() throws {
        let db = try TestDatabase.initialized(prefix: "hostile"); defer { db.drop() }
        let c = try db.connect()
        let broken = Array("\"Push\",\"8 Apr 2026, 16:50\",\"8 Apr 2026, 17:50\",\"desc\",\"Bench Press (Barbell)\",,\"open note\nsecond line".utf8)
        let s = try load(try write([row(index: 0), broken], finalNewline: false), c)
        #expect(s.rowsRead == 2 && s.rowsRejected == 1 && s.setsNew == 1)
        let r = try c.query("SELECT line_number, reason, raw_record, raw_bytes = $1::bytea FROM raw.rejects",
                            ["\\x" + broken.map { String(format: "%02x", $0) }.joined()]).rows
        #expect(r == [["3", "quoted field not closed before the end of the file", String(decoding: broken, as: UTF8.self), "t"]])
    }

    @Test func aServerErrorMidLoadLeavesAFailedLoadRow() throws {
        let db = try TestDatabase.initialized(prefix: "hostile"); defer { db.drop() }
        let c = try db.connect()
        // a constraint the loader does not know of makes the server refuse the set rows
        try c.execute("ALTER TABLE core.sets ADD CONSTRAINT test_reps_small CHECK (reps < 10)")
        let url = try write([Array(HevyFixture.row(index: 0, reps: "12").utf8)])
        #expect(throws: PostgresClientError.self) { try load(url, c) }
        let r = try c.query("SELECT status, summary->>'error' FROM meta.loads").rows
        #expect(r.count == 1 && r[0][0] == "failed" && r[0][1]?.contains("test_reps_small") == true, "\(r)")
    }
}
