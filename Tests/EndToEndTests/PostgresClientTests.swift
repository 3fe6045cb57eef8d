import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("PostgreSQL client against a real server")
struct PostgresClientTests {
    @Test func parametersAreBoundNotSpliced() throws {
        let db = try TestDatabase(prefix: "client"); defer { db.drop() }
        let c = try db.connect()
        try c.execute("CREATE TABLE t (s text, n int, d numeric, b bool)")
        let evil = "x'); DROP TABLE t; --"
        try c.query("INSERT INTO t VALUES ($1, $2, $3, $4)", [evil, 42, 2.5, true])
        try c.query("INSERT INTO t VALUES ($1, $2, $3, $4)", [SQLNull(), Optional<Int>.none, 0.1, false])
        let r = try c.query("SELECT s, n, d, b FROM t ORDER BY n NULLS LAST")
        #expect(r.rows[0] == [evil, "42", "2.5", "t"])
        #expect(r.rows[1] == [nil, nil, "0.1", "f"])
        #expect(try c.query("SELECT count(*) FROM t").scalar == "2")
    }

    @Test func serverErrorsCarrySQLSTATEDetailAndHint() throws {
        let db = try TestDatabase(prefix: "client"); defer { db.drop() }
        let c = try db.connect()
        try c.execute("CREATE TABLE u (id int PRIMARY KEY)")
        try c.query("INSERT INTO u VALUES (1)")
        do {
            try c.query("INSERT INTO u VALUES (1)")
            Issue.record("duplicate accepted")
        } catch let PostgresClientError.server(e) {
            #expect(e.sqlstate == "23505")
            #expect(e.detail?.contains("(id)=(1)") == true)
        }
        do { try c.query("SELEC 1"); Issue.record("syntax accepted") }
        catch let e as PostgresClientError { #expect(e.sqlstate == "42601") }
        // the connection is still usable after errors
        #expect(try c.query("SELECT 1").scalar == "1")
    }

    @Test func copyStreamsRowsAndReportsBadRows() throws {
        let db = try TestDatabase(prefix: "client"); defer { db.drop() }
        let c = try db.connect()
        try c.execute("CREATE TABLE v (id int, s text)")
        let n = try c.copyIn("COPY v FROM STDIN WITH (FORMAT csv)") { w in
            for i in 0..<10_000 { try w.write("\(i),\"row, \(i)\"\n") }
        }
        #expect(n == 10_000)
        #expect(try c.query("SELECT s FROM v WHERE id = 9999").scalar == "row, 9999")
        do {
            try c.copyIn("COPY v FROM STDIN WITH (FORMAT csv)") { w in try w.write("1,a\nx,b\n") }
            Issue.record("bad COPY accepted")
        } catch let e as PostgresClientError {
            #expect(e.sqlstate == "22P02")
        }
        #expect(try c.query("SELECT count(*) FROM v").scalar == "10000")
    }

    @Test func transactionsRollBackOnError() throws {
        let db = try TestDatabase(prefix: "client"); defer { db.drop() }
        let c = try db.connect()
        try c.execute("CREATE TABLE w (id int)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try c.transaction { try c.query("INSERT INTO w VALUES (1)"); throw Boom() }
        }
        #expect(try c.query("SELECT count(*) FROM w").scalar == "0")
        try c.transaction { try c.query("INSERT INTO w VALUES (2)") }
        #expect(try c.query("SELECT count(*) FROM w").scalar == "1")
    }

    @Test func advisoryLocksExcludeOtherSessions() throws {
        let db = try TestDatabase(prefix: "client"); defer { db.drop() }
        let a = try db.connect(), b = try db.connect()
        #expect(try a.tryAdvisoryLock(77))
        #expect(try b.tryAdvisoryLock(77, timeout: 0.3) == false)
        #expect(throws: PostgresClientError.self) { try b.withAdvisoryLock(77, timeout: 0.2) {} }
        try a.advisoryUnlock(77)
        #expect(try b.withAdvisoryLock(77, timeout: 1) { 5 } == 5)
    }

    @Test func connectsWithURLConninfoAndDefaults() throws {
        let db = try TestDatabase(prefix: "client"); defer { db.drop() }
        let env = ProcessInfo.processInfo.environment
        // key=value form
        let kv = try Connection(conninfo: "dbname=\(db.name)")
        #expect(try kv.query("SELECT current_database()").scalar == db.name)
        // URL form (host from PGHOST: a socket directory is percent-encoded)
        if let host = env["PGHOST"], env["DATABASE_URL"] == nil {
            let encoded = host.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? host
            let url = "postgresql://\(env["PGUSER"] ?? "postgres")@\(encoded):\(env["PGPORT"] ?? "5432")/\(db.name)?application_name=fdtest"
            let u = try Connection(conninfo: url)
            #expect(try u.query("SELECT current_setting('application_name')").scalar == "fdtest")
        }
        // a closed port fails with a connection error, not a crash
        #expect(throws: PostgresClientError.self) { try Connection(conninfo: "host=127.0.0.1 port=1 connect_timeout=2") }
    }

    @Test func executorKeepsBlockingCallsOffTheCooperativePool() async throws {
        let db = try TestDatabase(prefix: "client"); defer { db.drop() }
        let executors = try (0..<3).map { ConnectionExecutor(connection: try db.connect(), label: "t\($0)") }
        // each query reports when the server started and finished it; on a 2-thread cooperative pool,
        // blocking calls made there would serialize, so three overlapping intervals prove they ran off it
        var intervals: [(Double, Double)] = []
        try await withThrowingTaskGroup(of: (Double, Double).self) { group in
            for e in executors {
                group.addTask {
                    try await e.run { c in
                        let r = try c.query("SELECT extract(epoch FROM clock_timestamp())::float8, pg_sleep(1), extract(epoch FROM clock_timestamp())::float8").rows[0]
                        return (Double(r[0]!)!, Double(r[2]!)!)
                    }
                }
            }
            for try await v in group { intervals.append(v) }
        }
        #expect(intervals.count == 3)
        #expect(intervals.map(\.0).max()! < intervals.map(\.1).min()!)
    }
}
