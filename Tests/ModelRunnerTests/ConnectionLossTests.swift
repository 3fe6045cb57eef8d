import Foundation
import ModelRunner
import PostgresClient
import Testing

/// The server lost mid-build (issue 10, item 8): the runner stops and reports once instead of trying every
/// remaining node on a dead connection.
@Suite struct ConnectionLossTests {
    @Test func terminatedConnectionStopsTheBuildWithOneError() throws {
        // `a_slow` runs first (one thread, name order) and sleeps until its backend is terminated;
        // three independent views and one dependent of a_slow would run after it.
        let fx = try Fixture("lost", files: [
            "models/a_slow.sql": "{{ config(materialized='table') }}select 1 as id from (select pg_sleep(120)) s",
            "models/b1.sql": "select 1 as id",
            "models/b2.sql": "select 2 as id",
            "models/b3.sql": "select 3 as id",
            "models/z.sql": "select id from {{ ref('a_slow') }}",
        ])
        let killer = try fx.connect()
        defer { killer.close() }
        let build = Background { fx.run(.run) }
        // Wait (polling, no timing assertion) for the sleep to be running, then terminate every runner connection.
        var terminated = 0
        while terminated == 0 && !build.isDone {
            terminated = Int(try killer.query("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()
                   AND EXISTS (SELECT 1 FROM pg_stat_activity s WHERE s.datname = current_database() AND s.query LIKE '%pg_sleep(120)%'
                                 AND s.pid <> pg_backend_pid())
                """).scalar ?? "0") ?? 0
            if terminated == 0 { Thread.sleep(forTimeInterval: 0.05) }
        }
        let out = build.join()
        #expect(terminated >= 1)
        #expect(out.exitCode == 1)
        #expect(out.result("a_slow")?.status == "error")
        for name in ["b1", "b2", "b3", "z"] {
            #expect(out.result(name)?.status == "skipped", "\(name): \(out.result(name).map { "\($0.status) \($0.message)" } ?? "missing")")
        }
        #expect(out.results.filter { $0.status == "error" }.count == 1)
        let errors = fx.errorOutput.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(fx.errorOutput)")
        #expect(errors.first?.contains("lost the connection to PostgreSQL while running table model a_slow") == true, "\(fx.errorOutput)")
        #expect(errors.first?.contains("4 remaining nodes were not run") == true, "\(fx.errorOutput)")
        // Nothing of the interrupted node or of the skipped ones was left behind.
        #expect(try fx.scalar("SELECT count(*) FROM pg_class WHERE relname IN ('a_slow', 'b1', 'b2', 'b3', 'z') OR relname LIKE '%fitdata%'") == "0")
    }
}
