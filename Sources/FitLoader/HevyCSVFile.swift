import CSVStream
import PostgresClient
import Crypto
import Foundation

/// A Hevy export whose header has been checked (the file is not read further until it is loaded).
public struct HevyCSVFile: Sendable {
    /// Where the bytes are read from (a temporary copy for standard input, pipes and FIFOs).
    public let source: InputSource
    public let header: HevyCSVHeader

    /// The file the loader reads.
    public var url: URL { source.url }
    /// Bytes in the input.
    public var sizeBytes: Int { source.sizeBytes }

    /// Opens the file at `url` and checks its header.
    public static func inspect(_ url: URL) throws -> HevyCSVFile { try inspect(path: url.path) }

    /// Opens `path` (`-` for standard input) and checks its header; a non-seekable input is first copied once
    /// (see ``InputSource``).
    ///
    /// Throws ``LoadError/configuration(_:)`` for a missing or unreadable file, an empty file, a header past
    /// ``CSVLimits/headerBytes``, or a header that is not a Hevy workout export.
    public static func inspect(path: String, limits: CSVLimits = .standard) throws -> HevyCSVFile {
        let source: InputSource
        do { source = try InputSource.open(path, limits: limits) } catch { throw LoadError.configuration("\(error)") }
        let shown = source.displayPath
        let header: HevyCSVHeader
        do {
            let reader = try CSVReader(url: source.url, name: shown, chunkSize: 1 << 16, limits: limits)
            guard let first = try reader.next() else { throw LoadError.configuration("\(shown): file is empty") }
            if let found = reader.encodingProblem() {
                throw LoadError.configuration("\(shown):1: \(found.problem.reason(field: "the header"))")
            }
            header = try HevyCSVHeader(fields: first.fields)
        } catch let e as HevyCSVHeader.HeaderError {
            throw LoadError.configuration("\(shown):1: \(e)")
        } catch let e as CSVError {
            if case .recordTooLong = e { throw LoadError.configuration("\(e)") }
            if case .unreadable = e { throw LoadError.configuration("\(e)") }
            throw LoadError.configuration("\(shown): \(e)")
        }
        return HevyCSVFile(source: source, header: header)
    }

    /// A reader over the whole file with the standard limits (errors name the input as the user did).
    func reader(chunkSize: Int = 1 << 20) throws -> CSVReader {
        do { return try CSVReader(url: url, name: source.displayPath, chunkSize: chunkSize) }
        catch { throw LoadError.unreadable("\(error)") }
    }

    /// The first of two passes: reads the whole file once to hash it, detect the month language from
    /// all its dates, and note the last line of every workout (so the second pass can finish a workout
    /// as soon as its last row is read, wherever its rows are).
    func scan() throws -> HevyCSVScan {
        let reader = try self.reader()
        var hasher = SHA256()
        reader.onChunk = { hasher.update(bufferPointer: $0) }
        _ = try LoadError.reading { try reader.advance() }                  // the header, checked by inspect
        var texts = Set<String>()
        var keys = RawWorkoutKeyReader(header: header)
        var endMemo = FieldMemo("")
        var rawExtents: [RawWorkoutKey: WorkoutExtent] = [:]
        var current: (key: RawWorkoutKey, extent: WorkoutExtent)?
        while true {
            // pass 2 makes an unclosed quote at the end a reject; a record past the limit or a read error fails the file
            do { guard try reader.advance() else { break } } catch CSVError.unterminatedQuote { break }
            catch { throw LoadError.unreadable("\(error)") }
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
