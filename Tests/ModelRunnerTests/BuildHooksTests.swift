import Foundation
import ModelRunner
import PostgresClient
import Testing

/// Lines written by hooks (run on the runner's threads).
private final class HookLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ s: String) { lock.lock(); stored.append(s); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}

private struct InjectedHookFailure: Error, CustomStringConvertible {
    var description: String { "injected hook failure" }
}

@Suite("runner: the caller's before/after hooks")
struct BuildHooksTests {
    @Test("beforeNodes runs holding the data lock before any node, afterNodes after the last; a throwing hook fails the run (exit 1)")
    func hooks() throws {
        let fx = try Fixture("hooks", files: ["models/a.sql": "select 1 as x"])
        let log = HookLog()
        let holdsLock = """
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND mode = 'ExclusiveLock'
               AND objid = ($1::bigint & 4294967295)::oid AND classid = (($1::bigint >> 32) & 4294967295)::oid
            """
        let ok = fx.run(.build) { o in
            o.beforeNodes = { c in
                log.add("before: a exists \(try c.query("SELECT to_regclass('public.a') IS NOT NULL").scalar ?? "?"), data lock \(try c.query(holdsLock, [DataLock.key]).scalar ?? "?")")
            }
            o.afterNodes = { c in
                log.add("after: a exists \(try c.query("SELECT to_regclass('public.a') IS NOT NULL").scalar ?? "?"), data lock \(try c.query(holdsLock, [DataLock.key]).scalar ?? "?")")
            }
        }
        #expect(ok.exitCode == 0)
        #expect(log.lines == ["before: a exists f, data lock 1", "after: a exists t, data lock 1"])

        let failedAfter = fx.run(.build) { o in o.afterNodes = { _ in throw InjectedHookFailure() } }
        #expect(failedAfter.exitCode == 1)
        #expect(fx.errorOutput.contains("after the build: injected hook failure"))

        try fx.execute("DROP VIEW a")
        let failedBefore = fx.run(.build) { o in o.beforeNodes = { _ in throw InjectedHookFailure() } }
        #expect(failedBefore.exitCode == 1)
        #expect(try fx.scalar("SELECT to_regclass('public.a') IS NULL") == "t")      // nothing was built
    }
}
