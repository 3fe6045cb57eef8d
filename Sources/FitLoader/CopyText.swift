/// Builds rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes).
struct CopyTextRow {
    private(set) var text = ""

    init() { text.reserveCapacity(256) }

    mutating func add(_ value: String?) {
        if !text.isEmpty, text.last != "\n" { text.append("\t") }
        guard let value else { text.append("\\N"); return }
        if !value.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            text.append(value)
            return
        }
        for ch in value.unicodeScalars {
            switch ch {
            case "\\": text.append("\\\\")
            case "\t": text.append("\\t")
            case "\n": text.append("\\n")
            case "\r": text.append("\\r")
            default: text.unicodeScalars.append(ch)
            }
        }
    }

    mutating func add(_ value: Int?) { add(value.map { String($0) }) }

    /// The row with its terminating newline.
    var line: String { text + "\n" }
}

/// Turns the mobile app's literal `\n` escapes into newlines (the raw text is stored beside it).
enum NoteText {
    static func unescape(_ s: String) -> String {
        s.contains("\\n") ? s.replacingOccurrences(of: "\\n", with: "\n") : s
    }
}
