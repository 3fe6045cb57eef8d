import Foundation

/// Writes one text file line by line through a 64 KiB buffer, into `<name>.partial` renamed on
/// ``finish()``: memory stays bounded however long the history, and a stopped run leaves no half file
/// under the final name.
final class SampleFileWriter {
    let url: URL
    private let partial: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var lines = 0
    /// Bytes written so far.
    private(set) var bytes = 0

    init(_ url: URL) throws {
        self.url = url
        partial = url.appendingPathExtension("partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw LoadError.configuration("\(partial.path): cannot create the file")
        }
        handle = try FileHandle(forWritingTo: partial)
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends `line`, separated from the previous one by a LF.
    func line(_ line: String) throws {
        if lines > 0 { buffer.append(0x0A) }
        buffer.append(contentsOf: line.utf8)
        lines += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes what is buffered, with a final LF when `finalNewline`, and moves the file to its name.
    func finish(finalNewline: Bool) throws {
        if finalNewline { buffer.append(0x0A) }
        try flush()
        try handle.close()
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: partial, to: url)
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        bytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
