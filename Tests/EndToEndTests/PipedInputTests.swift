import CSVStream
import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// Issue 10 item 1: standard input, `/dev/stdin`, and FIFOs are read once, and every row lands.
@Suite("Piped input", .serialized)
struct PipedInputTests {
    /// A real multi-line web export (1 MB, far more than one read chunk), or a generated one without shared data.
    func exportFile() throws -> URL {
        if let real = TestPaths.sharedRealData?.appendingPathComponent("hevy/pedro-kg-km-web-multiline.csv"),
           FileManager.default.fileExists(atPath: real.path) { return real }
        var lines: [String] = []
        for w in 0..<400 {
            for i in 0..<20 { lines.append(HevyFixture.row("W\(w)", start: "\(w % 28 + 1) Apr 2025, 1\(w % 10):00", end: "\(w % 28 + 1) Apr 2025, 1\(w % 10):59", notes: "line one\nline two", index: i)) }
        }
        return try HevyFixture.write(lines, name: "piped")
    }

    func records(_ url: URL) throws -> Int {
        let reader = try CSVReader(url: url)
        _ = try reader.next()
        var n = 0
        while try reader.next() != nil { n += 1 }
        return n
    }

    @Test func stdinDevStdinAndFIFOLoadEveryRowOnce() throws {
        let url = try exportFile()
        let data = try Data(contentsOf: url)
        let expected = try records(url)
        let db = try TestDatabase.initialized(prefix: "piped"); defer { db.drop() }
        let env = ["DATABASE_URL": db.conninfo]
        let c = try db.connect()

        let direct = try FitdataProcess.run(["load", "hevy-csv", url.path, "--athlete", "file", "--timezone", "UTC"], environment: env)
        #expect(direct.status == 0, "\(direct.stderr)")
        let dash = try FitdataProcess.run(["load", "hevy-csv", "-", "--athlete", "dash", "--timezone", "UTC"],
                                          environment: env, input: data, timeout: 300)
        #expect(dash.status == 0, "\(dash.stderr)")
        let devStdin = try FitdataProcess.run(["load", "hevy-csv", "/dev/stdin", "--athlete", "devstdin", "--timezone", "UTC"],
                                              environment: env, input: data, timeout: 300)
        #expect(devStdin.status == 0, "\(devStdin.stderr)")

        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-fifo-\(UUID().uuidString.prefix(8))").path
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        Thread.detachNewThread {
            // one writer: a reader that opened the FIFO twice would wait forever for a second one (the watchdog kills it)
            guard let h = FileHandle(forWritingAtPath: fifo) else { return }
            try? h.write(contentsOf: data)
            try? h.close()
        }
        let viaFifo = try FitdataProcess.run(["load", "hevy-csv", fifo, "--athlete", "fifo", "--timezone", "UTC"],
                                             environment: env, timeout: 300)
        #expect(viaFifo.status == 0, "\(viaFifo.stderr)")

        // every route read every record, loaded the same sets, and recorded the same bytes
        let rows = try c.query("""
            SELECT l.athlete_id, l.rows_read, l.rows_loaded, l.rows_rejected,
                   (SELECT count(*) FROM core.sets s JOIN core.workout_exercises USING (workout_exercise_sk)
                      JOIN core.workouts w USING (workout_sk) JOIN core.athletes a ON a.athlete_sk = w.athlete_sk
                     WHERE a.athlete_id = l.athlete_id) AS sets,
                   f.sha256, f.size_bytes, f.file_name
            FROM meta.loads l JOIN raw.files f ON f.athlete_id = l.athlete_id
            WHERE l.status = 'succeeded' ORDER BY l.athlete_id
            """).rows
        try #require(rows.map { $0[0] } == ["dash", "devstdin", "fifo", "file"])
        for r in rows {
            #expect(r[1] == String(expected) && r[2] == String(expected) && r[3] == "0", "\(r)")
            #expect(r[4] == String(expected), "\(r)")
            #expect(r[5] == rows[3][5] && r[6] == String(data.count), "\(r)")
        }
        #expect(rows.map { $0[7] } == ["stdin", "stdin", URL(fileURLWithPath: fifo).lastPathComponent, url.lastPathComponent])
        #expect(dash.stdout.contains("stdin: \(expected) rows read, \(expected) loaded"))
        // the temporary copies are gone
        let left = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("fitdata-input-") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func emptyStdinIsAnEmptyFileError() throws {
        let db = try TestDatabase.initialized(prefix: "piped"); defer { db.drop() }
        let r = try FitdataProcess.run(["load", "hevy-csv", "-"], environment: ["DATABASE_URL": db.conninfo], input: Data(), timeout: 120)
        #expect(r.status == 2 && r.stderr.contains("stdin: file is empty"), "\(r.stderr)")
    }
}
