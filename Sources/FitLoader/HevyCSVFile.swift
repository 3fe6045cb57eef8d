import Crypto
import Foundation

/// A Hevy export after the first pass: header checked, dates parsed, content hashed.
public struct HevyCSVFile: Sendable {
    public let url: URL
    public let header: HevyCSVHeader
    public let language: ExportLanguage
    public let sha256: String
    public let sizeBytes: Int
    /// Every distinct start/end text → its local time (nil when unreadable).
    let dates: [String: LocalDateTime?]

    /// Reads `url` once: validates the header, detects the month language, hashes the bytes.
    ///
    /// Throws ``LoadError/configuration(_:)`` for a missing or unreadable file, an empty file,
    /// or a header that is not a Hevy workout export.
    public static func inspect(_ url: URL) throws -> HevyCSVFile {
        let path = url.path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw LoadError.configuration("\(path): no such file")
        }
        let reader: CSVReader
        do { reader = try CSVReader(url: url) } catch { throw LoadError.configuration("\(error)") }
        var hasher = SHA256()
        reader.onChunk = { hasher.update(data: Data($0)) }
        let header: HevyCSVHeader
        do {
            guard let first = try reader.next() else { throw LoadError.configuration("\(path): file is empty") }
            header = try HevyCSVHeader(fields: first.fields)
        } catch let e as HevyCSVHeader.HeaderError {
            throw LoadError.configuration("\(path):1: \(e)")
        } catch let e as CSVError {
            throw LoadError.configuration("\(path): \(e)")
        }
        var texts = Set<String>()
        while true {
            let record: CSVRecord?
            do { record = try reader.next() } catch { break }   // pass 2 reports the broken record
            guard let record else { break }
            for i in [header.startTime, header.endTime] where i < record.fields.count {
                let t = FieldParsing.trimmed(record.fields[i])
                if !t.isEmpty { texts.insert(t) }
            }
        }
        let language = HevyDateParser.detectLanguage(texts)
        let parser = HevyDateParser(language: language)
        var dates: [String: LocalDateTime?] = [:]
        for t in texts { dates[t] = parser.parse(t) }
        let digest = Hex.lowercase(hasher.finalize())
        return HevyCSVFile(url: url, header: header, language: language, sha256: digest,
                           sizeBytes: reader.bytesRead, dates: dates)
    }
}
