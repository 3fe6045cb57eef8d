import Foundation

/// A nutrition or body-weight export that has been read, its format recognized and every row checked,
/// ready for ``NutritionLoader/load(_:options:)``. Nothing is written until then.
public struct NutritionFile: Sendable {
    /// What the file holds.
    public enum Kind: Sendable, Equatable {
        case nutrition(NutritionFormat)
        case bodyWeight
    }

    public let url: URL
    public let kind: Kind
    let sha256: String
    let sizeBytes: Int
    let parse: NutritionParse

    /// The format's name as shown (`--format` value, or `body-weight-csv`).
    public var formatName: String {
        if case .nutrition(let f) = kind { return f.rawValue }
        return "body-weight-csv"
    }

    /// The `source` its rows get in `core`.
    var source: String {
        if case .nutrition(let f) = kind { return f.source }
        return "csv"
    }

    /// The `kind` of its `meta.loads` and `raw.files` rows.
    var loadKind: String { kind == .bodyWeight ? "body_weight" : "nutrition" }

    /// Reads a nutrition export; `format` nil picks it from the header.
    ///
    /// Throws ``LoadError/configuration(_:)`` (exit 2) for a missing or empty file, or a header that
    /// matches no format (or not the one asked for), naming the formats and the header seen.
    public static func inspectNutrition(_ url: URL, format: NutritionFormat? = nil) throws -> NutritionFile {
        let table = try ExportTable.read(url)
        let chosen: NutritionFormat
        if let format {
            guard format.matches(table.header) else {
                throw LoadError.configuration("\(url.path): the header is not a \(format.rawValue) export; header seen: \(table.header.shown)")
            }
            chosen = format
        } else {
            guard let found = NutritionFormat.detect(table.header) else {
                throw LoadError.configuration("""
                    \(url.path): the header matches no nutrition format (\(NutritionFormat.names)); header seen: \(table.header.shown)
                    """)
            }
            chosen = found
        }
        let parse: NutritionParse
        do {
            switch chosen {
            case .myfitnesspal: parse = try MyFitnessPalParser.parse(table)
            case .cronometer: parse = try CronometerDailyParser.parse(table)
            case .cronometerServings: parse = try CronometerServingsParser.parse(table)
            case .macrofactor: parse = try MacroFactorParser.parse(table)
            }
        } catch let e as LoadError {
            throw LoadError.configuration("\(url.path): \(e.description)")
        }
        return NutritionFile(url: url, kind: .nutrition(chosen), sha256: table.sha256, sizeBytes: table.sizeBytes, parse: parse)
    }

    /// Reads a plain body-weight CSV (`date` and `weight_kg` or `weight_lbs`).
    public static func inspectBodyWeight(_ url: URL) throws -> NutritionFile {
        let table = try ExportTable.read(url)
        guard BodyWeightCSVParser.matches(table.header) else {
            throw LoadError.configuration("""
                \(url.path): not a body-weight CSV (needs a date column and weight_kg or weight_lbs); header seen: \(table.header.shown)
                """)
        }
        let parse: NutritionParse
        do { parse = try BodyWeightCSVParser.parse(table) }
        catch let e as LoadError { throw LoadError.configuration("\(url.path): \(e.description)") }
        return NutritionFile(url: url, kind: .bodyWeight, sha256: table.sha256, sizeBytes: table.sizeBytes, parse: parse)
    }
}
