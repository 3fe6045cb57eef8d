import Foundation

/// A position in a project file, 1-based, printed as `file:line:column`.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The path relative to the project directory (e.g. `models/marts/fct_sets.sql`).
    public var file: String
    public var line: Int
    public var column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        if let column { return "\(file):\(line):\(column)" }
        return "\(file):\(line)"
    }
}

/// A project, usage or configuration error: exit status 2.
public struct ProjectError: Error, Sendable, CustomStringConvertible {
    /// Where it happened, when it is known.
    public var location: SourceLocation?
    /// What is wrong.
    public var message: String

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }

    /// One error reporting several: the first one's location, then every error on its own line.
    static func combined(_ errors: [ProjectError]) -> ProjectError {
        if errors.count == 1 { return errors[0] }
        let lines = errors.dropFirst().map { "\n" + $0.description }.joined()
        var e = errors[0]
        e.message += "\n(\(errors.count) errors in the project; the others:)" + lines
        return e
    }
}

/// Collects warnings (unknown keys, ignored settings) to print once, in order.
public final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    public init() {}

    /// Records one warning.
    public func warn(_ message: String, at location: SourceLocation? = nil) {
        let text = location.map { "\($0): \(message)" } ?? message
        lock.lock(); items.append(text); lock.unlock()
    }

    /// All warnings so far.
    public var all: [String] {
        lock.lock(); defer { lock.unlock() }
        return items
    }
}

/// Levenshtein distance between two strings, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        cur[0] = i
        for j in 1...y.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[y.count]
}

/// The candidate nearest to `name` by edit distance, when it is reasonably close.
func nearest(_ name: String, in candidates: [String]) -> String? {
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(name.lowercased(), c.lowercased())
        if best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
    }
    guard let best else { return nil }
    return best.1 <= max(3, name.count / 2) ? best.0 : nil
}
