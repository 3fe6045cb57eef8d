import Crypto
import Foundation

/// A Hevy export whose header has been checked (the file is not read further until it is loaded).
public struct HevyCSVFile: Sendable {
    public let url: URL
    public let header: HevyCSVHeader
    public let sizeBytes: Int

    /// Opens `url` and checks its header.
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
        do { reader = try CSVReader(url: url, chunkSize: 1 << 16) } catch { throw LoadError.configuration("\(error)") }
        let header: HevyCSVHeader
        do {
            guard let first = try reader.next() else { throw LoadError.configuration("\(path): file is empty") }
            header = try HevyCSVHeader(fields: first.fields)
        } catch let e as HevyCSVHeader.HeaderError {
            throw LoadError.configuration("\(path):1: \(e)")
        } catch let e as CSVError {
            throw LoadError.configuration("\(path): \(e)")
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        return HevyCSVFile(url: url, header: header, sizeBytes: size)
    }

    /// The first of two passes: reads the whole file once to hash it, detect the month language from
    /// all its dates, and note the last line of every workout (so the second pass can finish a workout
    /// as soon as its last row is read, wherever its rows are).
    func scan() throws -> HevyCSVScan {
        let reader: CSVReader
        do { reader = try CSVReader(url: url) } catch { throw LoadError.configuration("\(error)") }
        var hasher = SHA256()
        reader.onChunk = { hasher.update(bufferPointer: $0) }
        _ = try? reader.advance()                                           // the header, checked by inspect
        var texts = Set<String>()
        var keys = RawWorkoutKeyReader(header: header)
        var endMemo = FieldMemo("")
        var rawExtents: [RawWorkoutKey: WorkoutExtent] = [:]
        var current: (key: RawWorkoutKey, extent: WorkoutExtent)?
        while true {
            do { guard try reader.advance() else { break } } catch { break }   // pass 2 reports a broken record
            guard let (key, changed) = keys.read(reader) else { continue }
            if changed {
                if let c = current { rawExtents[c.key, default: WorkoutExtent()].merge(c.extent) }
                current = (key, WorkoutExtent())
                if !key.start.isEmpty { texts.insert(key.start) }
            }
            current!.extent.add(line: reader.line)
            guard reader.fieldCount > header.endTime else { continue }
            let endChanged = reader.withField(header.endTime) { endMemo.update(FieldParsing.trimmed($0), FieldParsing.string) }
            if endChanged, !endMemo.value.isEmpty { texts.insert(endMemo.value) }
        }
        if let c = current { rawExtents[c.key, default: WorkoutExtent()].merge(c.extent) }
        let dates = DateResolver(language: HevyDateParser.detectLanguage(texts))
        var workoutOfRawKey: [RawWorkoutKey: WorkoutKey] = [:]
        var extents: [WorkoutKey: WorkoutExtent] = [:]
        let titles = TitleCache()
        for (raw, extent) in rawExtents {
            guard let start = dates.date(raw.start) else { continue }
            let key = WorkoutKey(start: start, title: titles.display(raw.title))
            workoutOfRawKey[raw] = key
            extents[key, default: WorkoutExtent()].merge(extent)
        }
        return HevyCSVScan(sha256: Hex.lowercase(hasher.finalize()), dates: dates,
                           workoutOfRawKey: workoutOfRawKey, extents: extents)
    }
}

/// What the first pass learned about a file.
struct HevyCSVScan {
    let sha256: String
    /// Every start/end text of the file, parsed in the detected language.
    let dates: DateResolver
    /// Workout of each distinct (start text, title text) pair, as the second pass reads them.
    let workoutOfRawKey: [RawWorkoutKey: WorkoutKey]
    /// Each workout's last physical line and number of records.
    let extents: [WorkoutKey: WorkoutExtent]
}

/// Turns the date texts of one file into local times in one month language, and remembers every
/// month word it saw so the language choice can be checked against all of them.
///
/// Callers pass each distinct text once per change (see ``FieldMemo``), so nothing is cached here.
final class DateResolver {
    let language: ExportLanguage
    private let parser: HevyDateParser
    private var monthWords = Set<String>()

    init(language: ExportLanguage) {
        self.language = language
        parser = HevyDateParser(language: language)
    }

    /// The local time written as `text` (trimmed, non-empty), or nil when unreadable.
    func date(_ text: String) -> LocalDateTime? {
        guard let tokens = Tokens(text) else { return nil }
        if let w = tokens.monthWord { monthWords.insert(w) }
        return parser.parse(tokens)
    }

    /// The language ``HevyDateParser/detectLanguage(_:)`` picks from every date seen so far.
    var languageOfAllTexts: ExportLanguage { HevyDateParser.detectLanguage(monthWords: monthWords) }
}

/// A workout's natural key inside a file: local start minute and display title.
struct WorkoutKey: Hashable, Sendable {
    let start: LocalDateTime
    let title: String
}

/// A workout's start and title exactly as written (trimmed start text, title field).
struct RawWorkoutKey: Hashable, Sendable {
    let start: String
    let title: String
}

/// Where a workout's records are: the last physical line and how many records.
struct WorkoutExtent: Sendable {
    var lastLine = 0
    var records = 0

    mutating func add(line: Int) { lastLine = max(lastLine, line); records += 1 }
    mutating func merge(_ other: WorkoutExtent) { lastLine = max(lastLine, other.lastLine); records += other.records }
}

/// Reads the raw workout key of the reader's current record, the same way in both passes.
struct RawWorkoutKeyReader {
    let header: HevyCSVHeader
    private let needed: Int
    private var start = FieldMemo("")
    private var title = FieldMemo("")

    init(header: HevyCSVHeader) {
        self.header = header
        needed = max(header.startTime, header.title) + 1
    }

    /// The record's key and whether it differs from the previous record's; nil when the record
    /// is too short to have one.
    mutating func read(_ reader: CSVReader) -> (RawWorkoutKey, Bool)? {
        guard reader.fieldCount >= needed else { return nil }
        let s = reader.withField(header.startTime) { start.update(FieldParsing.trimmed($0), FieldParsing.string) }
        let t = reader.withField(header.title) { title.update($0, FieldParsing.string) }
        return (RawWorkoutKey(start: start.value, title: title.value), s || t)
    }
}
