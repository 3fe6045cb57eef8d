import Foundation

/// Shows how far a long read has got, on a terminal only.
public final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let total: Int
    private var lastPercent = -1
    private let enabled: Bool

    /// A reporter for `total` bytes; silent unless standard error is a terminal.
    public init(label: String, totalBytes: Int, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = max(totalBytes, 1)
        self.enabled = enabled
    }

    /// Updates the line when the percentage changed.
    public func update(bytes: Int, rows: Int) {
        guard enabled else { return }
        let pct = min(100, bytes * 100 / total)
        guard pct != lastPercent else { return }
        lastPercent = pct
        FileHandle.standardError.write(Data("\r\(label): \(pct)% (\(rows) rows)".utf8))
    }

    /// Clears the progress line.
    public func finish() {
        guard enabled, lastPercent >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
