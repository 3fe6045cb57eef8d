import CLibCurl
import Foundation
import HTTPKit

/// Sends ``MailMessage``s over SMTP with libcurl: STARTTLS required on `smtp://`, TLS from the start on `smtps://`,
/// the server's certificate verified, `AUTH` with the user name and password of `SMTP_URL`.
///
/// Works with Amazon SES's SMTP interface (`smtp://<SMTP user>:<SMTP password>@email-smtp.<region>.amazonaws.com:587`).
/// `send` blocks until the server accepted or refused the message.
public struct SMTPMailer: Sendable {
    public let settings: SMTPSettings
    private let redact: SecretRedactor

    public init(settings: SMTPSettings) {
        self.settings = settings
        let password = settings.password ?? ""
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        redact = SecretRedactor(secrets: [password, encoded])
    }

    /// A mailer configured from `SMTP_URL`, `SMTP_FROM` and `SMTP_CA_FILE`.
    public init(environment: [String: String]) throws {
        self.init(settings: try SMTPSettings.fromEnvironment(environment))
    }

    /// Sends the report to `to` (one address or a comma-separated list) from `SMTP_FROM`: `text` (the Markdown) and
    /// `html` (the page) as the two alternatives.
    public func send(to: String, subject: String, text: String, html: String) throws {
        let message = MailMessage(from: settings.from, to: try Address.list(to, field: "--email"), subject: subject, text: text, html: html)
        try send(message)
    }

    /// Sends `message` to its recipients; throws ``MailError``.
    public func send(_ message: MailMessage) throws {
        let payload = try message.rendered()
        let sender = try Address.bare(message.from, field: "SMTP_FROM")
        let recipients = try message.to.map { try Address.bare($0, field: "--email") }
        guard !recipients.isEmpty else { throw MailError.configuration("no recipient") }
        _ = CurlGlobal.initialized
        guard let handle = curl_easy_init() else { throw MailError.sendFailed("libcurl could not start") }
        defer { curl_easy_cleanup(handle) }
        var rcpt: UnsafeMutablePointer<curl_slist>?
        for r in recipients { rcpt = curl_slist_append(rcpt, "<\(r)>") }
        defer { curl_slist_free_all(rcpt) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        let reader = PayloadReader(payload)
        let readerPointer = Unmanaged.passRetained(reader)
        defer { readerPointer.release() }

        var problems: [CURLcode] = []
        func check(_ code: CURLcode) { if code != CURLE_OK { problems.append(code) } }
        check(fitdata_curl_setopt_string(handle, CURLOPT_URL, settings.url))
        check(fitdata_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"))
        check(fitdata_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)))
        check(fitdata_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        check(fitdata_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        if let ca = settings.caFile {
            check(fitdata_curl_setopt_string(handle, CURLOPT_CAINFO, ca))
            check(fitdata_curl_setopt_string(handle, CURLOPT_CAPATH, nil))
        }
        if let user = settings.username, let password = settings.password {
            check(fitdata_curl_setopt_string(handle, CURLOPT_USERNAME, user))
            check(fitdata_curl_setopt_string(handle, CURLOPT_PASSWORD, password))
        }
        check(fitdata_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(sender)>"))
        check(fitdata_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, rcpt))
        check(fitdata_curl_setopt_long(handle, CURLOPT_UPLOAD, 1))
        check(fitdata_curl_setopt_read_function(handle, readPayload))
        check(fitdata_curl_setopt_pointer(handle, CURLOPT_READDATA, readerPointer.toOpaque()))
        check(fitdata_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        check(fitdata_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        check(fitdata_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 20))
        check(fitdata_curl_setopt_long(handle, CURLOPT_TIMEOUT, settings.timeout))
        if let bad = problems.first {
            throw MailError.sendFailed("libcurl refused an option: \(String(cString: curl_easy_strerror(bad)))")
        }
        let result = curl_easy_perform(handle)
        guard result == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            var text = String(cString: curl_easy_strerror(result))
            if !detail.isEmpty && detail != text { text += ": " + detail }
            throw MailError.sendFailed(redact("\(settings.url): \(Self.hint(result))\(text)"))
        }
    }

    /// A plain-words prefix for the failures users meet most.
    private static func hint(_ code: CURLcode) -> String {
        switch code {
        case CURLE_USE_SSL_FAILED: return "the server does not offer STARTTLS (required): "
        case CURLE_LOGIN_DENIED: return "the SMTP user name or password was refused: "
        case CURLE_PEER_FAILED_VERIFICATION: return "the server's certificate is not trusted (SMTP_CA_FILE?): "
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR: return "the connection failed: "
        default: return ""
        }
    }
}

/// libcurl's one-time global setup.
private enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// The message bytes handed to libcurl as it asks for them.
private final class PayloadReader {
    let data: Data
    var offset = 0
    init(_ data: Data) { self.data = data }
}

/// libcurl's read callback: copies the next bytes of the ``PayloadReader`` behind `userdata`.
private func readPayload(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let userdata else { return 0 }
    let reader = Unmanaged<PayloadReader>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, reader.data.count - reader.offset)
    guard n > 0 else { return 0 }
    reader.data.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + reader.offset, byteCount: n)
    }
    reader.offset += n
    return n
}
