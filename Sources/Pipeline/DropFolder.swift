import Foundation

/// The drop folder: files waiting in it, and `processed/` and `rejected/` beside them.
///
/// Only regular files directly in the folder are read, oldest first (modification time, then name); names starting
/// with `.` or ending in `.part`, `.tmp` or `.partial` are left alone, so a file is written under such a name (or
/// elsewhere) and renamed into the folder when complete.
struct DropFolder {
    let root: URL
    var processed: URL { root.appendingPathComponent("processed", isDirectory: true) }
    var rejected: URL { root.appendingPathComponent("rejected", isDirectory: true) }

    /// Fails with a configuration error when `root` is not a folder.
    init(_ root: URL) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw PipelineError.configuration("--inbox \(root.path): no such folder")
        }
        self.root = root
    }

    /// The files waiting, oldest first.
    func waiting() throws -> [URL] {
        let keys: [URLResourceKey] = [.isRegularFileKey, .contentModificationDateKey]
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path)
        var found: [(URL, Date)] = []
        for name in names where !Self.ignored(name) {
            let url = root.appendingPathComponent(name)
            let values = try url.resourceValues(forKeys: Set(keys))
            guard values.isRegularFile == true else { continue }
            found.append((url, values.contentModificationDate ?? .distantPast))
        }
        return found.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.lastPathComponent < $1.0.lastPathComponent }.map(\.0)
    }

    static func ignored(_ name: String) -> Bool {
        name.hasPrefix(".") || [".part", ".tmp", ".partial"].contains(where: { name.hasSuffix($0) })
    }

    /// Moves `file` into processed/; returns its path relative to the inbox.
    func moveToProcessed(_ file: URL, note: String? = nil) throws -> String {
        let target = try place(file, in: processed)
        if let note { try writeAtomically(note, to: processed.appendingPathComponent(target.lastPathComponent + ".duplicate.txt")) }
        try FileManager.default.moveItem(at: file, to: target)
        return "processed/" + target.lastPathComponent
    }

    /// Writes `<name>.reason.txt` into rejected/, then moves `file` beside it; returns its path relative to the inbox.
    ///
    /// The reason is written first: a run killed between the two leaves the file in the inbox, and the next run
    /// rejects it again (overwriting the reason), so a file in rejected/ always has its reason.
    func moveToRejected(_ file: URL, reason: String) throws -> String {
        let target = try place(file, in: rejected)
        try writeAtomically(reason + "\n", to: rejected.appendingPathComponent(target.lastPathComponent + ".reason.txt"))
        try FileManager.default.moveItem(at: file, to: target)
        return "rejected/" + target.lastPathComponent
    }

    /// A free name for `file` in `folder` (created when missing): its own, else `name-2.ext`, `name-3.ext` …
    private func place(_ file: URL, in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = file.lastPathComponent
        var candidate = folder.appendingPathComponent(name)
        let ext = file.pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var n = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = folder.appendingPathComponent(ext.isEmpty ? "\(stem)-\(n)" : "\(stem)-\(n).\(ext)")
            n += 1
        }
        return candidate
    }

    private func writeAtomically(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
