import Foundation
import HTTPKit
import PostgresClient
import Testing
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Every file under `dir`, read as text (lossy), with its path.
private func filesUnder(_ dir: URL) -> [(String, String)] {
    let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
    var out: [(String, String)] = []
    while let url = e?.nextObject() as? URL {
        if let data = try? Data(contentsOf: url) { out.append((url.path, String(decoding: data, as: UTF8.self))) }
    }
    return out
}

private func tempDir(_ tag: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-report-\(tag)-\(UUID().uuidString.prefix(8))")
}

/// `fitdata report weekly` end to end through the built CLI: each provider against its fake server, e-mail over
/// STARTTLS to a real SMTP server, and the written HTML in headless Chromium.
@Suite("report weekly through the CLI", .serialized)
struct ReportCLIIntegrationTests {
    static let base = ["report", "weekly", "--athlete", "me", "--week", "2026-W47"]
    /// Keys that must not reach the run: the tests' own environment may hold real ones.
    static let cleared = ["OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "", "AWS_PROFILE": "", "AWS_ACCESS_KEY_ID": "",
                          "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "SMTP_URL": "", "SMTP_FROM": ""]

    /// Each provider is given recognisable fake keys and its server echoes the credential it received in the model's
    /// text; no key appears in stdout, stderr, any written file or the `meta.reports` row.
    @Test(.enabled(if: PythonHelper.enabled, Comment(rawValue: PythonHelper.skipReason)), arguments: ["openai", "anthropic", "bedrock"])
    func keysAppearInNoOutputArtifactOrRecord(provider: String) throws {
        let m = try SampleMarts.shared()
        let key = "fake-\(provider)-CANARY-\(UUID().uuidString)"
        let access = "AKIDCANARY\(Int.random(in: 100_000...999_999))", secret = "canary-secret-\(UUID().uuidString)"
        var args = ["--port", "0", "--provider", provider, "--key", key]
        if provider == "bedrock" { args += ["--region", "eu-west-1", "--access-key", access, "--secret-key", secret, "--session-token", key] }
        let server = try PythonHelper(script: "Tests/LLMProvidersTests/fake_llm/fake_llm_server.py", arguments: args)
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)"
        var env = Self.cleared
        switch provider {
        case "openai": env["OPENAI_API_KEY"] = key; env["OPENAI_BASE_URL"] = url + "/v1"
        case "anthropic": env["ANTHROPIC_API_KEY"] = key; env["ANTHROPIC_BASE_URL"] = url
        default:
            env.merge(["AWS_ACCESS_KEY_ID": access, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": key, "AWS_REGION": "eu-west-1",
                       "AWS_ENDPOINT_URL": url, "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent",
                       "AWS_EC2_METADATA_DISABLED": "true"]) { $1 }
        }
        // the first answer quotes the credential the client sent, as a hostile or buggy server might
        var control = URLRequest(url: URL(string: url + "/_control/script")!)
        control.httpMethod = "POST"
        control.httpBody = Data(#"{"steps": [{"echo_secret": true}]}"#.utf8)
        _ = try URLSessionTransport(timeout: 10).send(control)

        let out = tempDir(provider); defer { try? FileManager.default.removeItem(at: out) }
        let run = try FitdataProcess.run(Self.base + ["--database-url", m.db.conninfo, "--llm", provider, "--out", out.path], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("weekly report me 2026-W47: provider \(provider)"))
        let log = try JSONSerialization.jsonObject(with: URLSessionTransport(timeout: 10).send(URLRequest(url: URL(string: url + "/_control/log")!)).body)
        let requests = try #require(log as? [[String: Any]])
        #expect(requests.count == 1 && requests[0]["auth_ok"] as? Bool == true, "one authenticated model call: \(requests)")
        let sent = try String(decoding: JSONSerialization.data(withJSONObject: requests.first?["body"] ?? [:]), as: UTF8.self)
        #expect(sent.contains("2026-W47") && sent.contains("Weekly facts for athlete"), "the facts reached the prompt")

        let c = try m.connect(); defer { c.close() }
        let record = try c.query("SELECT row_to_json(r)::text FROM meta.reports r WHERE athlete_id = 'me' AND iso_week = '2026-W47'").scalar ?? ""
        #expect(record.contains(provider))
        let files = filesUnder(out)
        #expect(files.count == 3, "md, html and json: \(files.map(\.0))")
        #expect(files.contains { $0.0.hasSuffix(".md") && $0.1.contains("[redacted]") }, "the echoed key was redacted in the text")
        for s in [key, secret] {
            #expect(!run.stdout.contains(s) && !run.stderr.contains(s))
            #expect(!record.contains(s))
            for (path, text) in files { #expect(!text.contains(s), "\(path) holds a secret") }
        }
    }

    /// `--email` sends the written report (HTML, with the Markdown as the text part) over STARTTLS with AUTH.
    @Test(.enabled(if: PythonHelper.enabled, Comment(rawValue: PythonHelper.skipReason)))
    func emailDeliversTheWrittenReport() throws {
        let m = try SampleMarts.shared()
        let smtp = try FakeSMTPServer()
        let out = tempDir("mail"); defer { try? FileManager.default.removeItem(at: out) }
        let env = Self.cleared.merging(smtp.environment()) { $1 }
        let run = try FitdataProcess.run(Self.base + ["--database-url", m.db.conninfo, "--llm", "none", "--out", out.path,
                                                      "--email", "athlete@example.org"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("e-mailed to athlete@example.org"))
        let messages = try smtp.received()
        #expect(messages.count == 1)
        let msg = try #require(messages.first)
        #expect(msg["tls"] as? Bool == true && msg["auth_user"] as? String == smtp.user)
        #expect((msg["headers"] as? [String: String])?["Subject"] == "Weekly report me 2026-W47")
        let parts = try #require(msg["parts"] as? [[String: Any]])
        let md = try String(contentsOf: out.appendingPathComponent("me/2026-W47.md"), encoding: .utf8)
        let html = try String(contentsOf: out.appendingPathComponent("me/2026-W47.html"), encoding: .utf8)
        #expect(parts.map { $0["content_type"] as? String } == ["text/plain", "text/html"])
        let text = (parts.first?["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text == md, "the text part is the Markdown report")
        #expect((parts.last?["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == html.replacingOccurrences(of: "\r\n", with: "\n"))
        #expect(!run.stdout.contains(smtp.password) && !run.stderr.contains(smtp.password))
    }

    /// A bad SMTP setting is a configuration error (exit 2) found before anything is written.
    @Test func badSMTPSettingsExitTwoBeforeWriting() throws {
        let m = try SampleMarts.shared()
        let out = tempDir("badmail"); defer { try? FileManager.default.removeItem(at: out) }
        let env = Self.cleared.merging(["SMTP_URL": "http://mail.example.org", "SMTP_FROM": "r@example.org"]) { $1 }
        let run = try FitdataProcess.run(Self.base + ["--database-url", m.db.conninfo, "--llm", "none", "--out", out.path,
                                                      "--email", "athlete@example.org"], environment: env)
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("--email"))
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing written")
    }

    /// The report's HTML in headless Chromium: no console errors, no requests, every chart draws its marks.
    @Test(.enabled(if: BrowserCheck.enabled, Comment(rawValue: BrowserCheck.skipReason)))
    func theReportPageDrawsEveryChartInTheBrowser() throws {
        let m = try SampleMarts.shared()
        let out = tempDir("browser"); defer { try? FileManager.default.removeItem(at: out) }
        let run = try FitdataProcess.run(Self.base + ["--database-url", m.db.conninfo, "--llm", "none", "--out", out.path], environment: Self.cleared)
        #expect(run.status == 0, "\(run.stderr)")
        for width in [1280, 360] {
            let page = try BrowserCheck.run(out.appendingPathComponent("me/2026-W47.html"), width: width)
            #expect(page.errors.isEmpty, "\(page.errors)")
            #expect(page.requests.isEmpty, "\(page.requests)")
            #expect(page.charts.count == 4, "e1RM, muscle-group hard sets, intake vs target, body weight: \(page.charts.map(\.title))")
            for chart in page.charts {
                #expect(chart.declared_marks > 0 && chart.drawn_marks == chart.declared_marks, "\(chart.title) at \(width) px")
            }
            #expect(page.scroll_width <= page.viewport_width + 1, "no sideways scrolling at \(width) px")
        }
    }
}
