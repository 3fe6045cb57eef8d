import Foundation
import PostgresClient
import Testing

/// The one JSON string escaper (nutrition `extra` jsonb, the runner's artifacts).
@Suite("JSON string literals")
struct JSONTextTests {
    @Test func escapesAndRoundTrips() throws {
        #expect(JSONText.quote("plain é ✓") == "\"plain é ✓\"")
        #expect(JSONText.quote("a\"b\\c\nd\re\tf\u{01}g\u{1F}") == "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001f\"")
        for s in ["", "\"", "\\", "\u{0}", "tab\there", "line\r\nend", "\u{7F}", "𝄞 emoji 🏋️", "\u{1B}[31m"] {
            let decoded = try JSONSerialization.jsonObject(with: Data(JSONText.quote(s).utf8), options: .fragmentsAllowed)
            #expect(decoded as? String == s, "\(s.debugDescription)")
        }
    }
}
