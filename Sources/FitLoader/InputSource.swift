import CSVStream
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a load reads its bytes from: the named regular file itself, or — for standard input (`-`), a pipe,
/// a FIFO or a device, which can be read only once — a temporary copy made by reading the input once.
///
/// The loader reads its input two or three times (header check, language sample, the passes), so a
/// non-seekable input read directly would lose the bytes the earlier reads consumed.
public final class InputSource: Sendable {
    /// The file the loader opens (the input itself, or its temporary copy).
    public let url: URL
    /// The input as the user named it (`-` is shown as `stdin`), for messages.
    public let displayPath: String
    /// The name recorded in `raw.files.file_name` and `raw.rejects.source_name`: the last path component, `stdin` for `-`.
    public let name: String
    /// Size in bytes (of the copy, i.e. every byte read, for a spooled input).
    public let sizeBytes: Int
    /// Whether `url` is a temporary copy (removed when this object goes away).
    public let isSpooled: Bool

    private init(url: URL, displayPath: String, name: String, sizeBytes: Int, isSpooled: Bool) {
        self.url = url; self.displayPath = displayPath; self.name = name; self.sizeBytes = sizeBytes; self.isSpooled = isSpooled
    }

    deinit { if isSpooled { unlink(url.path) } }

    /// Opens `path` (`-` for standard input); copies a non-regular input to a temporary file, reading it once.
    ///
    /// While copying, a stretch without a line feed longer than the header limit (before the first line end) or
    /// the record limit throws ``CSVError/recordTooLong(path:line:limit:header:)``, so `/dev/zero` or an endless
    /// stream without line ends fails fast instead of filling the disk.
    public static func open(_ path: String, limits: CSVLimits = .standard) throws -> InputSource {
        let isStdin = path == "-"
        let displayPath = isStdin ? "stdin" : path
        let name = isStdin ? "stdin" : URL(fileURLWithPath: path).lastPathComponent
        let fd = isStdin ? dup(STDIN_FILENO) : Glibc.open(path, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { throw CSVError.unreadable(path: displayPath, reason: "no such file") }
            throw CSVError.unreadable(path: displayPath, reason: "cannot open file (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CSVError.unreadable(path: displayPath, reason: String(cString: strerror(errno))) }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR { throw CSVError.unreadable(path: displayPath, reason: "is a directory") }
        if kind == S_IFREG, !isStdin {
            return InputSource(url: URL(fileURLWithPath: path), displayPath: displayPath, name: name,
                               sizeBytes: Int(st.st_size), isSpooled: false)
        }
        let (copy, size) = try spool(fd: fd, displayPath: displayPath, limits: limits)
        return InputSource(url: copy, displayPath: displayPath, name: name, sizeBytes: size, isSpooled: true)
    }

    /// Copies everything readable from `fd` to a new temporary file; returns it and the bytes copied.
    private static func spool(fd: Int32, displayPath: String, limits: CSVLimits) throws -> (URL, Int) {
        var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-input-XXXXXX").path.utf8CString)
        let out = mkstemp(&template)
        guard out >= 0 else { throw CSVError.unreadable(path: displayPath, reason: "cannot create a temporary copy (\(String(cString: strerror(errno))))") }
        let copy = URL(fileURLWithPath: String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        var ok = false
        defer {
            close(out)
            if !ok { unlink(copy.path) }
        }
        let chunk = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { buffer.deallocate() }
        var total = 0
        var lineEnds = 0          // line feeds so far (the line of an over-long stretch is lineEnds + 1)
        var sinceLineEnd = 0      // bytes since the last line feed
        while true {
            let n = read(fd, buffer, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVError.unreadable(path: displayPath, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            var at = 0
            while at < n, let hit = memchr(buffer + at, 0x0A, n - at) {
                let nl = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                sinceLineEnd += nl - at
                try check(sinceLineEnd, lineEnds: lineEnds, displayPath: displayPath, limits: limits)
                lineEnds += 1
                sinceLineEnd = 0
                at = nl + 1
            }
            sinceLineEnd += n - at
            try check(sinceLineEnd, lineEnds: lineEnds, displayPath: displayPath, limits: limits)
            var written = 0
            while written < n {
                let w = write(out, buffer + written, n - written)
                if w < 0 {
                    if errno == EINTR { continue }
                    throw CSVError.unreadable(path: displayPath, reason: "cannot write the temporary copy (\(String(cString: strerror(errno))))")
                }
                written += w
            }
            total += n
        }
        ok = true
        return (copy, total)
    }

    private static func check(_ stretch: Int, lineEnds: Int, displayPath: String, limits: CSVLimits) throws {
        let limit = lineEnds == 0 ? limits.headerBytes : limits.recordBytes
        if stretch > limit {
            throw CSVError.recordTooLong(path: displayPath, line: lineEnds + 1, limit: limit, header: lineEnds == 0)
        }
    }
}
