import Foundation

/// Where and how to send mail, from `SMTP_URL`, `SMTP_FROM` and `SMTP_CA_FILE`.
///
/// - `smtp://user:pass@host:587`: STARTTLS is required (a server that does not offer it is refused, nothing is
///   sent in the clear); the default port is 587.
/// - `smtps://user:pass@host:465`: TLS from the first byte (implicit TLS); the default port is 465.
///
/// The user name and password are percent-decoded (write `/` as `%2F`, `+` as `%2B`, `@` as `%40`). The server's
/// certificate is verified against the system's CAs, or only against `SMTP_CA_FILE` when set.
public struct SMTPSettings: Sendable, Equatable {
    /// `smtp://host:port` or `smtps://host:port`, without credentials.
    public var url: String
    public var username: String?
    public var password: String?
    /// The `From` header (`Name <address>` or `address`).
    public var from: String
    /// A PEM file of the CA certificates to trust instead of the system's.
    public var caFile: String?
    /// The longest the whole exchange may take (seconds).
    public var timeout: Int

    public init(url: String, username: String? = nil, password: String? = nil, from: String, caFile: String? = nil, timeout: Int = 60) {
        self.url = url
        self.username = username
        self.password = password
        self.from = from
        self.caFile = caFile
        self.timeout = timeout
    }

    /// True for `smtps://` (implicit TLS); false for `smtp://` (STARTTLS, required).
    public var implicitTLS: Bool { url.hasPrefix("smtps://") }

    /// Reads `SMTP_URL`, `SMTP_FROM` and the optional `SMTP_CA_FILE`; throws ``MailError/configuration(_:)``.
    public static func fromEnvironment(_ environment: [String: String]) throws -> SMTPSettings {
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        guard let raw = value("SMTP_URL") else { throw MailError.configuration("SMTP_URL is not set (e.g. smtp://user:password@smtp.example.com:587)") }
        guard let from = value("SMTP_FROM") else { throw MailError.configuration("SMTP_FROM is not set (the sender's address)") }
        guard let comps = URLComponents(string: raw), let scheme = comps.scheme?.lowercased(),
              scheme == "smtp" || scheme == "smtps", let host = comps.host, !host.isEmpty else {
            throw MailError.configuration("SMTP_URL must be smtp://[user:password@]host[:port] (STARTTLS) or smtps://… (TLS)")
        }
        guard comps.path.isEmpty || comps.path == "/", comps.query == nil else {
            throw MailError.configuration("SMTP_URL must not have a path or query")
        }
        let port = comps.port ?? (scheme == "smtps" ? 465 : 587)
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let username = comps.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        let password = comps.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if (username == nil) != (password == nil) {
            throw MailError.configuration("SMTP_URL must give both a user name and a password, or neither")
        }
        let caFile = value("SMTP_CA_FILE")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw MailError.configuration("SMTP_CA_FILE \(caFile) cannot be read")
        }
        _ = try Address.bare(from, field: "SMTP_FROM")
        return SMTPSettings(url: "\(scheme)://\(hostPart):\(port)", username: username, password: password,
                            from: from, caFile: caFile)
    }
}

/// E-mail addresses in headers and in the SMTP envelope.
enum Address {
    /// The address inside `Name <address>`, or `text` itself; refuses line breaks and text that is not an address.
    static func bare(_ text: String, field: String) throws -> String {
        guard !LineBreak.in(text) else { throw MailError.configuration("\(field) contains a line break") }
        var address = text.trimmingCharacters(in: .whitespaces)
        if let open = address.lastIndex(of: "<"), let close = address.lastIndex(of: ">"), open < close {
            address = String(address[address.index(after: open)..<close])
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              !address.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "," }) else {
            throw MailError.configuration("\(field) \(text) is not an e-mail address")
        }
        return address
    }

    /// The addresses of a comma-separated list (`--email a@x,b@y`).
    static func list(_ text: String, field: String) throws -> [String] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw MailError.configuration("\(field) names no address") }
        return try items.map { try bare($0, field: field) }
    }
}

/// Line breaks in header values (which would start a new header or SMTP command).
enum LineBreak {
    /// True when `text` holds a CR or LF, alone or as CRLF (one `Character` in Swift, so scalars are checked).
    static func `in`(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "\r" || $0 == "\n" }
    }
}
