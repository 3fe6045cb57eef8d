import Foundation

/// Writes report files under a local directory, each one atomically (a temporary file renamed into place).
public struct DirectorySink: ReportSink {
    public let root: URL

    public init(directory: String) {
        root = URL(fileURLWithPath: directory, isDirectory: true)
    }

    public func write(relativePath: String, data: Data, contentType: String) throws -> String {
        guard !relativePath.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }), !relativePath.hasPrefix("/") else {
            throw ReportSinkError.badDestination("\(relativePath): not a relative path inside \(root.path)")
        }
        let target = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temp = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        try data.write(to: temp)
        if rename(temp.path, target.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temp)
            throw ReportSinkError.badDestination("\(target.path): rename failed (errno \(code))")
        }
        return target.path
    }
}
