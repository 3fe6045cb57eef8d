import Foundation
import Pipeline
import PostgresClient
import Testing
import TestSupport

@Suite("fitdata pipeline: one at a time, JSON log lines, exit codes", .serialized)
struct PipelineCLITests {
    @Test("a second pipeline exits 1 naming the running one, or waits for it and then runs")
    func twoAtOnce() async throws {
        let h = try await PipelineHarness.make(hevy: false)
        defer { h.close() }
        // the "running pipeline": a session holding the pipeline lock, with its run recorded as a real run records it
        let info = h.database.conninfo
        let holder = try await onThread { try Connection(conninfo: info) }
        defer { holder.close() }
        let pid = try await onThread { () -> String in
            try PipelineLock.acquire(holder, timeout: 0) { _ in }
            try holder.query("INSERT INTO meta.pipeline_runs (kind, athlete_id) VALUES ('weekly', 'me')")
            return try holder.query("SELECT pg_backend_pid()").scalar ?? ""
        }

        let refused = try await h.cli(["pipeline", "daily", "--project-dir", h.project.path, "--lock-timeout", "0"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another pipeline is running on this database"))
        #expect(refused.stderr.contains("(weekly, athlete 'me'") && refused.stderr.contains("backend pid \(pid)"))
        #expect(try await h.int("SELECT count(*) FROM meta.pipeline_runs") == 1)   // the refused run recorded nothing

        // now one that waits: it queues on the lock (seen in pg_locks), and runs once the holder lets go
        let p = Process()
        p.executableURL = FitdataProcess.executable
        p.arguments = ["pipeline", "daily", "--project-dir", h.project.path, "--lock-timeout", "300"]
        p.environment = ProcessInfo.processInfo.environment.merging(h.cliEnvironment) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let queued = try await onThread { () -> Bool in
            let deadline = Date().addingTimeInterval(120)                    // a bound for a broken build, not a timing assertion
            while Date() < deadline {
                let waiting = try holder.query("""
                    SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                       AND objid = ($1::bigint & 4294967295)::oid AND classid = (($1::bigint >> 32) & 4294967295)::oid
                    """, [PipelineLock.key]).scalar
                if waiting == "1" { return true }
                if !p.isRunning { return false }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        #expect(queued)
        try await onThread { try holder.query("UPDATE meta.pipeline_runs SET outcome = 'succeeded', ended_at = now(), exit_code = 0"); PipelineLock.release(holder) }
        let text = try await onThread { () -> String in
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("waiting for another pipeline to finish: run 1 (weekly"))
        #expect(try await h.scalar("SELECT outcome FROM meta.pipeline_runs WHERE run_id = 2") == "succeeded")
    }

    @Test("--log-format json: one JSON object per line on stdout with step, started, duration_ms, counts, outcome, error")
    func jsonLines() async throws {
        let h = try await PipelineHarness.make(hevy: true)
        defer { h.close() }
        try h.drop("body_weight.csv")
        try h.drop(text: "not,an,export\n1,2,3\n", as: "junk.csv")
        let out = try await h.cli(["pipeline", "daily", "--inbox", h.inbox.path, "--project-dir", h.project.path,
                                   "--timezone", "Europe/Lisbon", "--log-format", "json"])
        #expect(out.status == 1)                                  // junk.csv was rejected
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let objects = try lines.map { line -> [String: Any] in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
        #expect(objects.compactMap { $0["step"] as? String } == ["lock", "sync", "load", "build", "test", "pipeline"])
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for o in objects {
            #expect(o.keys.contains("error"), "error key missing in \(o)")
            #expect((o["started"] as? String).flatMap(iso.date(from:)) != nil)
            #expect(o["duration_ms"] is Int)
            #expect((o["counts"] as? [String: Any])?.values.allSatisfy { $0 is Int } == true)
            #expect(["ok", "skipped", "failed"].contains(o["outcome"] as? String ?? ""))
            #expect((o["outcome"] as? String == "failed") == (o["error"] is String))
        }
        let load = objects[2]
        #expect((load["counts"] as? [String: Any])?["rejected"] as? Int == 1)
        #expect(((load["files"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == "junk.csv" && $0["moved_to"] as? String == "rejected/junk.csv" })
        #expect((objects[5]["counts"] as? [String: Any])?["exit_code"] as? Int == 1)
        // progress went to stderr; the key is in no output; meta has the same step objects
        #expect(!out.stdout.contains("rows read"))
        #expect(!out.stdout.contains(h.apiKey) && !out.stderr.contains(h.apiKey))
        #expect(try await h.int("SELECT jsonb_array_length(steps) FROM meta.pipeline_runs") == 5)
        #expect(try await h.scalar("SELECT steps->2->'counts'->>'rejected' FROM meta.pipeline_runs") == "1")
        #expect(try await h.int("SELECT count(*) FROM meta.pipeline_runs WHERE strpos(steps::text, $1) > 0", [h.apiKey]) == 0)
    }

    @Test("exit 2 for configuration: a missing inbox, an unknown time zone, an uninitialized database")
    func configurationErrors() async throws {
        let h = try await PipelineHarness.make(hevy: false)
        defer { h.close() }
        let noInbox = try await h.cli(["pipeline", "daily", "--inbox", h.root.appendingPathComponent("nope").path, "--project-dir", h.project.path])
        #expect(noInbox.status == 2 && noInbox.stdout.contains("no such folder"))
        let badZone = try await h.cli(["pipeline", "daily", "--timezone", "Mars/Olympus", "--project-dir", h.project.path])
        #expect(badZone.status == 2 && badZone.stdout.contains("unknown time zone"))
        let empty = try TestDatabase(prefix: "pipelineempty")
        defer { empty.drop() }
        let env = ["DATABASE_URL": empty.conninfo, "HEVY_API_KEY": ""]
        let uninitialized = try await onThread { try FitdataProcess.run(["pipeline", "daily", "--project-dir", h.project.path], environment: env) }
        #expect(uninitialized.status == 2 && uninitialized.stdout.contains("fitdata db init"))
    }
}
