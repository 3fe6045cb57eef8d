import Foundation
import Mail
import Testing
import TestSupport

@Suite(.enabled(if: PythonHelper.enabled, Comment(rawValue: PythonHelper.skipReason)))
struct SMTPDeliveryTests {
    static let markdown = "# Semana 2026-W47\n\n- Treinos: 4 de 4\n- Proteína: 151 g/dia\n.\n.leading dot line\n"
    static let html = "<!doctype html><html><body><h1>Semana 2026-W47</h1><p>Proteína: 151 g/dia</p></body></html>"

    @Test func reportArrivesOverSTARTTLSWithBothPartsAndAuth() throws {
        let server = try FakeSMTPServer()
        let mailer = try SMTPMailer(environment: server.environment())
        try mailer.send(to: "athlete@example.org, coach@example.org", subject: "Relatório semanal — 2026-W47",
                        text: Self.markdown, html: Self.html)
        let messages = try server.received()
        #expect(messages.count == 1)
        let m = try #require(messages.first)
        #expect(m["tls"] as? Bool == true)
        #expect(m["auth_user"] as? String == server.user)
        #expect(m["mail_from"] as? String == "reports@fitdata.example")
        #expect(m["rcpt_tos"] as? [String] == ["athlete@example.org", "coach@example.org"])
        let headers = try #require(m["headers"] as? [String: String])
        #expect(headers["From"] == "Fitdata Reports <reports@fitdata.example>")
        #expect(headers["To"] == "athlete@example.org, coach@example.org")
        #expect(headers["Subject"] == "Relatório semanal — 2026-W47")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Date"]?.hasSuffix("+0000") == true)
        #expect(headers["Message-ID"]?.hasSuffix("@fitdata.example>") == true)
        #expect(m["content_type"] as? String == "multipart/alternative")
        let parts = try #require(m["parts"] as? [[String: Any]])
        #expect(parts.map { $0["content_type"] as? String } == ["text/plain", "text/html"])
        #expect(parts.allSatisfy { $0["charset"] as? String == "utf-8" })
        #expect(parts.first?["text"] as? String == Self.markdown.replacingOccurrences(of: "\n", with: "\r\n")
                || parts.first?["text"] as? String == Self.markdown)
        #expect((parts.last?["text"] as? String)?.contains("<p>Proteína: 151 g/dia</p>") == true)
        #expect((m["raw"] as? String)?.contains(server.password) == false)
    }

    @Test func implicitTLSURLsDefaultToPort465AndSTARTTLSTo587() throws {
        let a = try SMTPSettings.fromEnvironment(["SMTP_URL": "smtps://AKIAEXAMPLE:abc%2Fdef%2Bg@email-smtp.eu-west-1.amazonaws.com", "SMTP_FROM": "r@x.org"])
        #expect(a.url == "smtps://email-smtp.eu-west-1.amazonaws.com:465")
        #expect(a.implicitTLS)
        #expect(a.username == "AKIAEXAMPLE" && a.password == "abc/def+g")
        let b = try SMTPSettings.fromEnvironment(["SMTP_URL": "smtp://email-smtp.us-east-1.amazonaws.com", "SMTP_FROM": "r@x.org"])
        #expect(b.url == "smtp://email-smtp.us-east-1.amazonaws.com:587")
        #expect(!b.implicitTLS && b.username == nil)
    }

    @Test func badSettingsAreClearErrors() {
        #expect(throws: MailError.configuration("SMTP_URL is not set (e.g. smtp://user:password@smtp.example.com:587)")) {
            try SMTPSettings.fromEnvironment(["SMTP_FROM": "r@x.org"])
        }
        #expect(throws: MailError.configuration("SMTP_FROM is not set (the sender's address)")) {
            try SMTPSettings.fromEnvironment(["SMTP_URL": "smtp://h"])
        }
        #expect(throws: MailError.self) { try SMTPSettings.fromEnvironment(["SMTP_URL": "http://h", "SMTP_FROM": "r@x.org"]) }
        #expect(throws: MailError.self) { try SMTPSettings.fromEnvironment(["SMTP_URL": "smtp://h", "SMTP_FROM": "not an address"]) }
        #expect(throws: MailError.self) { try SMTPSettings.fromEnvironment(["SMTP_URL": "smtp://h", "SMTP_FROM": "r@x.org", "SMTP_CA_FILE": "/nonexistent.pem"]) }
        let mailer = SMTPMailer(settings: SMTPSettings(url: "smtp://127.0.0.1:9", from: "r@x.org"))
        #expect(throws: MailError.configuration("the subject contains a line break")) {
            try mailer.send(to: "a@b.org", subject: "hi\r\nBcc: victim@x.org", text: "t", html: "h")
        }
        #expect(throws: MailError.self) { try mailer.send(to: "a@b.org\r\nRCPT TO:<x@y.org>", subject: "s", text: "t", html: "h") }
    }

    @Test func serverWithoutSTARTTLSIsRefusedBeforeAnythingIsSent() throws {
        let server = try FakeSMTPServer(tls: false)
        let mailer = try SMTPMailer(environment: server.environment(caFile: false))
        let error = #expect(throws: MailError.self) {
            try mailer.send(to: "a@example.org", subject: "s", text: "t", html: "<p>h</p>")
        }
        #expect(String(describing: error!).contains("STARTTLS"))
        #expect(try server.received().isEmpty)
    }

    @Test func untrustedCertificateIsRefused() throws {
        let server = try FakeSMTPServer()
        let mailer = try SMTPMailer(environment: server.environment(caFile: false))
        let error = #expect(throws: MailError.self) {
            try mailer.send(to: "a@example.org", subject: "s", text: "t", html: "<p>h</p>")
        }
        #expect(String(describing: error!).contains("certificate"))
        #expect(try server.received().isEmpty)
    }

    @Test func refusedPasswordIsNeverPrinted() throws {
        let server = try FakeSMTPServer()
        let wrong = "wr0ng/pass+word-\(UUID().uuidString)"
        let mailer = try SMTPMailer(environment: server.environment(password: wrong))
        let error = #expect(throws: MailError.self) {
            try mailer.send(to: "a@example.org", subject: "s", text: "t", html: "<p>h</p>")
        }
        let text = String(describing: error!)
        #expect(text.contains("refused"))
        #expect(!text.contains(wrong))
        #expect(!text.contains(wrong.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
        #expect(!text.contains(server.password))
        #expect(try server.received().isEmpty)
    }
}

/// The MIME text itself.
struct MailMessageTests {
    @Test func renderedMessageIsMultipartAlternativeWithBase64Parts() throws {
        let message = MailMessage(from: "r@x.org", to: ["a@b.org"], subject: String(repeating: "Relatório ", count: 12),
                                  text: String(repeating: "linha ", count: 100), html: "<p>olá</p>",
                                  date: Date(timeIntervalSince1970: 1_796_000_000))
        let text = String(decoding: try message.rendered(boundary: "B0UND", messageID: "id1"), as: UTF8.self)
        #expect(text.contains("Content-Type: multipart/alternative; boundary=\"B0UND\"\r\n"))
        #expect(text.contains("\r\n--B0UND\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"))
        #expect(text.contains("\r\n--B0UND\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(text.hasSuffix("\r\n--B0UND--\r\n"))
        #expect(text.contains("Date: Mon, 30 Nov 2026 00:53:20 +0000"))
        #expect(text.contains("Message-ID: <id1@x.org>"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        // the folded encoded subject decodes to the original
        let subjectLines = lines.drop { !$0.hasPrefix("Subject: ") }.prefix { $0.hasPrefix("Subject: ") || $0.hasPrefix(" ") }
        let decoded = subjectLines.map { $0.replacingOccurrences(of: "Subject: ", with: "").trimmingCharacters(in: .whitespaces) }
            .map { word -> String in
                let b64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
                return String(decoding: Data(base64Encoded: String(b64))!, as: UTF8.self)
            }.joined()
        #expect(decoded == message.subject)
    }
}
