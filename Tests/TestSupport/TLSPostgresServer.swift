import Foundation

/// A private PostgreSQL server that accepts only TLS on 127.0.0.1, with a certificate authority made for it.
///
/// ``start()`` makes, with `openssl`, a CA and a server certificate it signs for `localhost` and `127.0.0.1`, plus an
/// unrelated second CA (for the "wrong CA" case); runs `initdb` into a new folder under the temporary directory; lets
/// in only `hostssl` connections (trust, so no password prompt can wait) and the server's own socket; and starts the
/// server on a free port. Every step has a timeout, so a server that does not come up fails the test in seconds
/// rather than hanging it. ``stop()`` stops the server and removes the folder.
///
/// As root (CI), `initdb` and `pg_ctl` run as the `postgres` user, which then owns the folder.
public final class TLSPostgresServer: @unchecked Sendable {
    /// Folder holding the certificates (`ca.crt`, `other-ca.crt`), the data directory and the server log.
    public let directory: URL
    /// The TCP port the server listens on (127.0.0.1 only).
    public let port: Int
    /// The CA that signed the server's certificate.
    public var caCertificate: URL { directory.appendingPathComponent("ca.crt") }
    /// A CA that signed nothing the server presents.
    public var otherCACertificate: URL { directory.appendingPathComponent("other-ca.crt") }

    private var data: URL { directory.appendingPathComponent("data") }
    private var log: URL { directory.appendingPathComponent("server.log") }
    private let bin: String
    private var started = false

    /// Prepares a folder and picks a free port; nothing runs until ``start()``.
    public init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fitdata-tls-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        port = try Self.freePort()
        bin = Self.postgresBinDir()
    }

    /// A conninfo for database `postgres` on this server with `options` appended (e.g. `sslmode=verify-full`).
    ///
    /// `host` is the name checked against the certificate; the address is always 127.0.0.1 (`hostaddr`), so a
    /// name the certificate does not list still reaches this server.
    public func conninfo(host: String = "localhost", _ options: String) -> String {
        "host=\(host) hostaddr=127.0.0.1 port=\(port) dbname=postgres user=postgres connect_timeout=5 \(options)"
    }

    /// Makes the certificates, initializes the cluster and starts it (waiting at most 30 s).
    public func start() throws {
        try makeCertificates()
        let pgdata = data.path, logPath = log.path
        try runAsOwner("'\(bin)/initdb' -D '\(pgdata)' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync",
                       what: "initdb", timeout: 60)
        let hba = """
            local   all all               trust
            hostssl all all 127.0.0.1/32  trust
            """
        try (hba + "\n").write(to: data.appendingPathComponent("pg_hba.conf"), atomically: false, encoding: .utf8)
        started = true
        let options = "-p \(port) -c listen_addresses=127.0.0.1 -k '\(directory.path)' -c fsync=off -c ssl=on " +
            "-c ssl_cert_file='\(directory.path)/server.crt' -c ssl_key_file='\(directory.path)/server.key' " +
            "-c max_connections=20 -c shared_buffers=16MB"
        // The server outlives this command: it must not inherit any descriptor of the test process (Foundation's
        // Process hands the child a socket it waits on), or ChildProcess.run would wait for the server to exit.
        try runAsOwner("for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done; " +
                       "'\(bin)/pg_ctl' -D '\(pgdata)' -l '\(logPath)' -w -t 30 -o \"\(options)\" start >/dev/null 2>&1",
                       what: "pg_ctl start", timeout: 45)
    }

    /// Stops the server (immediate shutdown) and removes the folder.
    public func stop() {
        if started {
            _ = try? runAsOwner("'\(bin)/pg_ctl' -D '\(data.path)' -m immediate -w -t 20 stop >/dev/null 2>&1",
                                what: "pg_ctl stop", timeout: 30)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The server log's last lines (for a failure message).
    public var logTail: String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(20).joined(separator: "\n")
    }

    // MARK: - Steps

    private func makeCertificates() throws {
        let d = directory.path
        let script = """
            set -e
            cd '\(d)'
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
              -subj '/CN=fitdata test CA' -keyout ca.key -out ca.crt
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
              -subj '/CN=fitdata other CA' -keyout other-ca.key -out other-ca.crt
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
              -subj '/CN=localhost' -keyout server.key -out server.csr
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > server.ext
            openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
              -extfile server.ext -out server.crt
            chmod 600 server.key
            """
        let out = try ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script], timeout: 30)
        guard out.status == 0 else { throw TLSServerError.step("openssl", out.stderr) }
        if getuid() == 0 {
            // The server reads its key as the postgres user, and refuses a key others can read.
            let chown = try ChildProcess.run(URL(fileURLWithPath: "/bin/chown"), ["-R", "postgres:postgres", d], timeout: 10)
            guard chown.status == 0 else { throw TLSServerError.step("chown", chown.stderr) }
        }
    }

    @discardableResult
    private func runAsOwner(_ command: String, what: String, timeout: TimeInterval) throws -> ChildProcess.Output {
        let out: ChildProcess.Output
        if getuid() == 0 {   // initdb and pg_ctl refuse to run as root
            out = try ChildProcess.run(URL(fileURLWithPath: "/bin/su"), ["postgres", "-s", "/bin/bash", "-c", command],
                                       timeout: timeout)
        } else {
            out = try ChildProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-c", command], timeout: timeout)
        }
        guard out.status == 0 else {
            throw TLSServerError.step(what, out.stderr + out.stdout + "\n" + logTail)
        }
        return out
    }

    /// A TCP port nothing listens on now (the kernel's choice for port 0).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TLSServerError.step("socket", String(cString: strerror(errno))) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                guard bind(fd, p, len) == 0 else { return -1 }
                return getsockname(fd, p, &len)
            }
        }
        guard bound == 0 else { throw TLSServerError.step("bind", String(cString: strerror(errno))) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// `pg_config --bindir`, else Debian's PostgreSQL 15 folder.
    private static func postgresBinDir() -> String {
        if let out = try? ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "pg_config --bindir"], timeout: 10),
           out.status == 0 {
            let dir = out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if FileManager.default.isExecutableFile(atPath: dir + "/initdb") { return dir }
        }
        return "/usr/lib/postgresql/15/bin"
    }
}

/// A step of ``TLSPostgresServer/start()`` failed.
public enum TLSServerError: Error, CustomStringConvertible {
    /// The step and what it printed.
    case step(String, String)

    public var description: String {
        switch self { case .step(let what, let output): return "TLS test server: \(what) failed: \(output)" }
    }
}
