import Crypto
import CSVStream
import Foundation
import PostgresClient

/// An export file of any kind the loaders read, recognized from its header by each loader's own check:
/// a Hevy workout CSV, a nutrition export (``NutritionFormat``) or a body-weight CSV.
public enum ExportFile: Sendable {
    case hevyCSV(HevyCSVFile)
    /// A nutrition export or a body-weight CSV (the nutrition loader reads both).
    case nutrition(NutritionFile)

    /// The `raw.files.kind` (and `meta.loads.kind`) its load writes.
    public var registryKind: String {
        switch self {
        case .hevyCSV: return "hevy_csv"
        case .nutrition(let f): return f.loadKind
        }
    }

    /// The format as shown: `hevy-csv`, a ``NutritionFormat`` value, or `body-weight-csv`.
    public var formatName: String {
        switch self {
        case .hevyCSV: return "hevy-csv"
        case .nutrition(let f): return f.formatName
        }
    }

    /// Recognizes and checks `url` the way `fitdata load hevy-csv | nutrition | body-weight` would.
    ///
    /// Throws ``LoadError/configuration(_:)`` naming the file: when its header is none of the kinds (with each
    /// kind's reason and the header seen), or when it is one of them but cannot be read as such.
    public static func inspect(_ url: URL) throws -> ExportFile {
        let path = url.path
        let fields: [String]
        do {
            let reader = try CSVReader(url: url, name: path, chunkSize: 1 << 16)
            guard let first = try reader.next() else { throw LoadError.configuration("\(path): file is empty") }
            if let found = reader.encodingProblem() {
                throw LoadError.configuration("\(path):1: \(found.problem.reason(field: "the header"))")
            }
            fields = first.fields
        } catch let e as LoadError {
            throw e
        } catch {
            throw LoadError.configuration("\(path): \(error)")
        }
        let notHevy: String
        do {
            _ = try HevyCSVHeader(fields: fields)
            return .hevyCSV(try HevyCSVFile.inspect(url))
        } catch let e as HevyCSVHeader.HeaderError {
            // a header with every Hevy column but an unknown or doubled one is a Hevy export we cannot read
            guard case .notHevy = e else { throw LoadError.configuration("\(path):1: \(e)") }
            notHevy = e.description
        }
        let header = NutritionHeader(fields)
        if let format = NutritionFormat.detect(header) {
            return .nutrition(try NutritionFile.inspectNutrition(url, format: format))
        }
        if BodyWeightCSVParser.matches(header) {
            return .nutrition(try NutritionFile.inspectBodyWeight(url))
        }
        throw LoadError.configuration("""
            \(path): not an export fitdata reads: \(notHevy); no nutrition format (\(NutritionFormat.names)) \
            matches; not a body-weight CSV (a date column and weight_kg or weight_lbs); header seen: \(header.shown)
            """)
    }
}

/// The SHA-256 of a file's bytes, as the loaders register files in `raw.files.sha256`.
public enum FileDigest {
    /// Lower-case hex SHA-256 of everything in `url`.
    public static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return Hex.lowercase(hasher.finalize())
    }
}
