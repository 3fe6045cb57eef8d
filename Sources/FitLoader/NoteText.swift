/// Turns the mobile app's literal `\n` escapes into newlines (the raw text is stored beside it).
enum NoteText {
    static func unescape(_ s: String) -> String {
        s.contains("\\n") ? s.replacingOccurrences(of: "\\n", with: "\n") : s
    }
}
