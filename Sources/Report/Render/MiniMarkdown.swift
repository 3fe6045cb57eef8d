import Charts

/// A small, safe Markdown-to-HTML converter for model prose: paragraphs, `#`–`######` headings, `-`/`*`/`1.` lists,
/// `**bold**`, `*italic*`/`_italic_` and `` `code` ``. All text is HTML-escaped first; no raw HTML, links or images
/// pass through, so model text cannot inject markup or load anything.
enum MiniMarkdown {
    static func html(_ markdown: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?
        func flushParagraph() {
            if !paragraph.isEmpty { out.append("<p>" + paragraph.map(inline).joined(separator: "<br>\n") + "</p>") }
            paragraph = []
        }
        func flushList() {
            if let l = list {
                let tag = l.ordered ? "ol" : "ul"
                out.append("<\(tag)>" + l.items.map { "<li>\(inline($0))</li>" }.joined() + "</\(tag)>")
            }
            list = nil
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { flushParagraph(); flushList(); continue }
            if let h = heading(line) {
                flushParagraph(); flushList()
                out.append("<h\(h.level)>\(inline(h.text))</h\(h.level)>")
                continue
            }
            if let item = listItem(line) {
                flushParagraph()
                if list == nil || list!.ordered != item.ordered { flushList(); list = (item.ordered, []) }
                list!.items.append(item.text)
                continue
            }
            if list != nil { flushList() }
            paragraph.append(line)
        }
        flushParagraph(); flushList()
        return out.joined(separator: "\n")
    }

    /// `### text` → (3, text); model headings are shifted to start at level 3 (the page has h1 and h2).
    static func heading(_ line: String) -> (level: Int, text: String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard hashes >= 1, hashes <= 6, line.dropFirst(hashes).first == " " else { return nil }
        return (min(6, max(3, hashes + 2)), String(line.dropFirst(hashes + 1)))
    }

    static func listItem(_ line: String) -> (ordered: Bool, text: String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") { return (false, String(line.dropFirst(2))) }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 3 {
            let rest = line.dropFirst(digits.count)
            if rest.hasPrefix(". ") || rest.hasPrefix(") ") { return (true, String(rest.dropFirst(2))) }
        }
        return nil
    }

    /// Escapes `text`, then turns `**b**`, `*i*`, `_i_` and `` `c` `` into tags (pairs only, never across the escape).
    static func inline(_ text: String) -> String {
        var s = escape(text)
        s = wrap(s, "`", "code")
        s = wrap(s, "**", "strong")
        s = wrap(s, "__", "strong")
        s = wrap(s, "*", "em")
        s = wrap(s, "_", "em", wordBoundary: true)
        return s
    }

    /// Replaces pairs of `marker` with `<tag>…</tag>`; an unpaired marker stays as text.
    static func wrap(_ s: String, _ marker: String, _ tag: String, wordBoundary: Bool = false) -> String {
        let parts = s.components(separatedBy: marker)
        guard parts.count >= 3 else { return s }
        var out = parts[0]
        var i = 1
        while i < parts.count {
            if i + 1 < parts.count, !parts[i].isEmpty,
               !wordBoundary || (out.last.map { !$0.isLetter && !$0.isNumber } ?? true) {
                out += "<\(tag)>\(parts[i])</\(tag)>" + parts[i + 1]
                i += 2
            } else {
                out += marker + parts[i]
                i += 1
            }
        }
        return out
    }

    static func escape(_ text: String) -> String { HTMLPage.escape(text) }
}
