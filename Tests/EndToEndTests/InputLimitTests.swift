import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// Issue 10 item 7: inputs without line ends fail fast with an error naming the file, the line and the limit.
@Suite("Input size limits")
struct InputLimitTests {
    @Test func eightyMegabytesWithoutALineEndIsAHeaderError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("noline-\(UUID().uuidString.prefix(8)).csv")
        try Data(repeating: 0x61, count: 80 << 20).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let db = try TestDatabase.initialized(prefix: "limits"); defer { db.drop() }
        let r = try FitdataProcess.run(["load", "hevy-csv", url.path], environment: ["DATABASE_URL": db.conninfo], timeout: 300)
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(url.path): line 1: the header is longer than 65536 bytes"), "\(r.stderr)")
    }

    @Test func devZeroIsAHeaderErrorNotAnEndlessRead() throws {
        let db = try TestDatabase.initialized(prefix: "limits"); defer { db.drop() }
        // the watchdog bounds the run if the read never ends (then the status is 137 and the expectations fail)
        let r = try FitdataProcess.run(["load", "hevy-csv", "/dev/zero"], environment: ["DATABASE_URL": db.conninfo], timeout: 120)
        #expect(r.status == 2)
        #expect(r.stderr.contains("/dev/zero: line 1: the header is longer than 65536 bytes"), "\(r.stderr)")
    }

    @Test func aRecordPastTheLimitFailsTheFileWithItsLineAndAFailedLoad() throws {
        let db = try TestDatabase.initialized(prefix: "limits"); defer { db.drop() }
        let huge = HevyFixture.row(notes: String(repeating: "n", count: (1 << 20) + 10), index: 1)
        let url = try HevyFixture.write([HevyFixture.row(index: 0), huge, HevyFixture.row(index: 2)])
        let r = try FitdataProcess.run(["load", "hevy-csv", url.path, "--timezone", "UTC"], environment: ["DATABASE_URL": db.conninfo])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(url.path): line 3: a record is longer than 1048576 bytes (the record limit)"), "\(r.stderr)")
        let c = try db.connect()
        #expect(try c.query("SELECT count(*) FROM core.sets").scalar == "0")
        let loads = try c.query("SELECT status, summary->>'error' FROM meta.loads").rows
        #expect(loads.count == 1 && loads[0][0] == "failed" && loads[0][1]?.contains("line 3") == true, "\(loads)")
    }

    @Test func aRecordJustUnderTheLimitLoads() throws {
        let db = try TestDatabase.initialized(prefix: "limits"); defer { db.drop() }
        let c = try db.connect()
        let big = HevyFixture.row(notes: String(repeating: "n", count: (1 << 20) - 200), index: 1)
        let url = try HevyFixture.write([HevyFixture.row(index: 0), big])
        let s = try HevyCSVLoader(connection: c).load(try HevyCSVFile.inspect(url), options: .init(timezone: "UTC"))
        #expect(s.rowsRead == 2 && s.rowsRejected == 0)
    }
}
