import Foundation

/// One report e-mail: a multipart/alternative message whose text part is the Markdown and whose HTML part is the page.
public struct MailMessage: Sendable, Equatable {
    /// The `From` header (`Name <address>` or `address`).
    public var from: String
    /// The recipients (bare addresses).
    public var to: [String]
    public var subject: String
    /// The plain-text alternative (the report's Markdown).
    public var text: String
    /// The HTML alternative (the report's self-contained page).
    public var html: String
    public var date: Date

    public init(from: String, to: [String], subject: String, text: String, html: String, date: Date = Date()) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
    }

    /// The message as sent (RFC 5322 with MIME, CRLF line ends): both parts UTF-8 in base64, a non-ASCII subject
    /// as RFC 2047 encoded words; `boundary` and `messageID` are fixed by tests, random otherwise.
    public func rendered(boundary: String = "=_fitdata_" + UUID().uuidString, messageID: String? = nil) throws -> Data {
        let sender = try Address.bare(from, field: "SMTP_FROM")
        let recipients = try to.map { try Address.bare($0, field: "--email") }
        guard !LineBreak.in(subject) else { throw MailError.configuration("the subject contains a line break") }
        let domain = sender.split(separator: "@").last.map(String.init) ?? "localhost"
        var lines = [
            "From: " + from,
            "To: " + recipients.joined(separator: ", "),
            "Subject: " + Self.encodedHeader(subject),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <\(messageID ?? UUID().uuidString.lowercased())@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "This is a multi-part message in MIME format.",
            "",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += ["--" + boundary,
                      "Content-Type: \(type); charset=utf-8",
                      "Content-Transfer-Encoding: base64",
                      ""]
            // text/* parts in canonical form: CRLF line breaks (RFC 2046)
            let canonical = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
            lines += Self.base64Lines(Data(canonical.utf8))
        }
        lines += ["--" + boundary + "--", ""]
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    /// `text` as is when it is printable ASCII, else as RFC 2047 `=?UTF-8?B?…?=` words (each at most 75 characters,
    /// never splitting a character) folded onto continuation lines.
    static func encodedHeader(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 39 {      // 39 bytes → 52 base64 characters + 12 of framing: lines stay under 78
                words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Base64 in lines of 76 characters (RFC 2045).
    static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        guard !encoded.isEmpty else { return [""] }
        var lines: [String] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[start..<end]))
            start = end
        }
        return lines
    }

    /// `date` as RFC 5322 wants it, in UTC: `Wed, 02 Dec 2026 06:40:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: date)
    }
}
