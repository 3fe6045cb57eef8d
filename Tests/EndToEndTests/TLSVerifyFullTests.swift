import Foundation
import PostgresClient
import Testing
import TestSupport

/// `sslmode=verify-full` against a server whose certificate authority is made in the test (issue 16, item 3).
///
/// One private server (``TLSPostgresServer``: TLS only, certificate for `localhost` and `127.0.0.1`) serves every
/// case, from the library and from the CLI: the right CA connects over TLS, a wrong CA and a wrong host name are
/// refused with libpq's reason and fitdata's hint, and a connection without TLS is refused by the server.
@Suite struct TLSVerifyFullTests {
    @Test func verifyFullConnectsOnlyWithTheRightCAAndHostName() throws {
        let server = try TLSPostgresServer()
        defer { server.stop() }
        do { try server.start() } catch {
            Issue.record("\(error)")
            return
        }
        let ca = server.caCertificate.path, otherCA = server.otherCACertificate.path

        // The right CA, by name and by address (both in the certificate): connected, and over TLS.
        for host in ["localhost", "127.0.0.1"] {
            let conn = try Connection(conninfo: server.conninfo(host: host, "sslmode=verify-full sslrootcert=\(ca)"))
            defer { conn.close() }
            let row = try conn.query("SELECT ssl::text, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").rows.first
            #expect(row?[0] == "true", "host \(host): the session is not encrypted")
            #expect(row?[1]?.hasPrefix("TLSv1.") == true, "host \(host): TLS version \(row?[1] ?? "none")")
        }

        // A CA that did not sign the server's certificate.
        let wrongCA = connectionError(server.conninfo("sslmode=verify-full sslrootcert=\(otherCA)"))
        #expect(wrongCA.contains("certificate verify failed"), "\(wrongCA)")
        #expect(wrongCA.contains("HINT: the server's certificate is not signed by a CA in sslrootcert"), "\(wrongCA)")

        // A host name the certificate does not list (the address is the same server).
        let wrongHost = connectionError(server.conninfo(host: "db.invalid", "sslmode=verify-full sslrootcert=\(ca)"))
        #expect(wrongHost.contains("does not match host name \"db.invalid\""), "\(wrongHost)")
        #expect(wrongHost.contains("HINT: the host in the connection string is not a name"), "\(wrongHost)")
        // verify-ca checks the chain only: the same wrong name connects (why the docs say verify-full).
        let chainOnly = try Connection(conninfo: server.conninfo(host: "db.invalid", "sslmode=verify-ca sslrootcert=\(ca)"))
        chainOnly.close()

        // No CA file at all: libpq's reason and the setting to give.
        let noCA = connectionError(server.conninfo("sslmode=verify-full sslrootcert=\(server.directory.path)/absent.crt"))
        #expect(noCA.contains("root certificate file") && noCA.contains("HINT: sslmode=verify-ca/verify-full need sslrootcert"),
                "\(noCA)")

        // No TLS: the server lets in hostssl only.
        let plain = connectionError(server.conninfo("sslmode=disable"))
        #expect(plain.contains("no pg_hba.conf entry") && plain.contains("no encryption"), "\(plain)")

        // The CLI, as a user runs it: verify-full with the right CA reaches the server ...
        let ok = try FitdataProcess.run(["db", "status", "--database-url",
                                         server.conninfo("sslmode=verify-full sslrootcert=\(ca)")], timeout: 60)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("database not initialized"), "\(ok.stdout)")
        // ... and a wrong CA or host name ends it with exit 2 and the reason.
        let cliWrongCA = try FitdataProcess.run(["db", "status", "--database-url",
                                                 server.conninfo("sslmode=verify-full sslrootcert=\(otherCA)")], timeout: 60)
        #expect(cliWrongCA.status == 2)
        #expect(cliWrongCA.stderr.contains("could not connect to PostgreSQL")
                && cliWrongCA.stderr.contains("certificate verify failed"), "\(cliWrongCA.stderr)")
        let cliWrongHost = try FitdataProcess.run(
            ["db", "status"], environment: ["DATABASE_URL": server.conninfo(host: "db.invalid",
                                                                          "sslmode=verify-full sslrootcert=\(ca)")],
            timeout: 60)
        #expect(cliWrongHost.status == 2)
        #expect(cliWrongHost.stderr.contains("does not match host name \"db.invalid\""), "\(cliWrongHost.stderr)")
    }

    /// The text of the error a connection attempt with `conninfo` fails with ("" and a recorded issue if it connects).
    private func connectionError(_ conninfo: String) -> String {
        do {
            let conn = try Connection(conninfo: conninfo)
            conn.close()
            Issue.record("connected, but should have been refused: \(conninfo)")
            return ""
        } catch {
            return "\(error)"
        }
    }
}
