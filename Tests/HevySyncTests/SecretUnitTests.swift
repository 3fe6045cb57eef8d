import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HevySync
import Testing
import HTTPKit

@Suite("Hevy sync: redirect policy and redaction without a server")
struct SecretUnitTests {
    @Test("origins compare scheme, host and port, with default ports filled in")
    func origins() {
        let u = { (s: String) in URL(string: s)! }
        #expect(RedirectPolicy.sameOrigin(u("https://api.hevyapp.com/v1/a"), u("https://API.hevyapp.com:443/v1/b?x=1")))
        #expect(!RedirectPolicy.sameOrigin(u("https://api.hevyapp.com/v1"), u("http://api.hevyapp.com/v1")))
        #expect(!RedirectPolicy.sameOrigin(u("http://127.0.0.1:8000/"), u("http://127.0.0.1:8001/")))
        #expect(!RedirectPolicy.sameOrigin(u("https://api.hevyapp.com/"), u("https://evil.example/")))
        var r = URLRequest(url: u("https://evil.example/v1/workouts"))
        r.setValue("k-123", forHTTPHeaderField: "api-key")
        r.setValue("Bearer x", forHTTPHeaderField: "Authorization")
        r.setValue("fitdata/1", forHTTPHeaderField: "User-Agent")
        let out = RedirectPolicy.redirected(r, from: u("https://api.hevyapp.com/v1/workouts"))
        #expect(out.value(forHTTPHeaderField: "api-key") == nil && out.value(forHTTPHeaderField: "Authorization") == nil)
        #expect(out.value(forHTTPHeaderField: "User-Agent") == "fitdata/1")
        let same = RedirectPolicy.redirected(r, from: u("https://evil.example/v1/other"))
        #expect(same.value(forHTTPHeaderField: "api-key") == "k-123")
    }

    @Test("the key is removed from JSON strings however escaped; numbers and other bytes stay as they were")
    func redactJSON() {
        let key = "0f1e2d3c-aaaa-bbbb"
        let r = SecretRedactor(secrets: [key])
        let escaped = key.unicodeScalars.map { String(format: "\\u%04X", $0.value) }.joined()
        let body = #"{"a": "x \#(key) y", "\#(escaped)": [1.50, 1e400, "\n\#(key)"], "n": null, "k": "plain\u00e9"}"#
        let out = String(decoding: r.redactJSON(Data(body.utf8)), as: UTF8.self)
        #expect(out == #"{"a": "x [redacted] y", "[redacted]": [1.50, 1e400, "\n[redacted]"], "n": null, "k": "plain\u00e9"}"#)
        let untouched = #"{"a": "line\nbreak", "b": 2.50}"#
        #expect(String(decoding: r.redactJSON(Data(untouched.utf8)), as: UTF8.self) == untouched)
        // not JSON: redacted where the key appears literally
        #expect(String(decoding: r.redactJSON(Data("oops \"\(key)".utf8)), as: UTF8.self) == "oops \"[redacted]")
    }

    @Test("URLs are shown without their password")
    func displayURL() {
        #expect(SyncConfiguration.displayURL(URL(string: "http://u:secret@h.example:81/p?q=1")!) == "http://u:***@h.example:81/p?q=1")
        #expect(SyncConfiguration.displayURL(URL(string: "https://api.hevyapp.com/v1")!) == "https://api.hevyapp.com/v1")
    }
}
