import Foundation

/// A real SMTP server (aiosmtpd) on loopback with STARTTLS required before AUTH, a self-signed certificate made
/// for the test, and one accepted login; accepted messages are parsed by Python's email package into JSON files.
public final class FakeSMTPServer: @unchecked Sendable {
    public let directory: URL
    public let out: URL
    public let user = "reports-user"
    public let password = "s3cr3t/p+ss@word-\(Int.random(in: 1000...9999))"
    public let helper: PythonHelper
    public var certificate: URL { directory.appendingPathComponent("cert.pem") }

    public init(tls: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-smtp-\(UUID().uuidString)")
        out = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let key = directory.appendingPathComponent("key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                             "-keyout", key.path, "-out", directory.appendingPathComponent("cert.pem").path]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw PythonHelperError.startFailed("openssl req failed") }
        var args = ["--port", "0", "--user", user, "--password", password, "--out", out.path]
        args += tls ? ["--cert", directory.appendingPathComponent("cert.pem").path, "--key", key.path] : ["--no-tls"]
        helper = try PythonHelper(script: "Tests/MailTests/fake_smtp/fake_smtp_server.py", arguments: args)
    }

    deinit {
        helper.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `SMTP_URL` (password percent-encoded), `SMTP_FROM` and `SMTP_CA_FILE` for this server.
    public func environment(password: String? = nil, caFile: Bool = true) -> [String: String] {
        let encoded = (password ?? self.password).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        var env = ["SMTP_URL": "smtp://\(user):\(encoded)@127.0.0.1:\(helper.port)",
                   "SMTP_FROM": "Fitdata Reports <reports@fitdata.example>"]
        if caFile { env["SMTP_CA_FILE"] = certificate.path }
        return env
    }

    /// The messages the server accepted, in order.
    public func received() throws -> [[String: Any]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent($0))) as! [String: Any] }
    }
}
