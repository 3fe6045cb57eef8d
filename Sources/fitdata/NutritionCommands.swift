import ArgumentParser
import FitLoader
import Foundation
import PostgresClient

/// Loads nutrition exports (MyFitnessPal, Cronometer daily or servings, MacroFactor), one transaction per file.
struct LoadNutrition: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nutrition",
        abstract: "Load nutrition exports (\(NutritionFormat.names)); days, meals/foods, MacroFactor weigh-ins and targets.")
    @OptionGroup var options: LoadOptions
    @Argument(help: "Nutrition export files (CSV).") var files: [String]
    @Option(help: "auto (from the header), \(NutritionFormat.names).") var format = "auto"

    func run() throws {
        try runReportingFailures {
            let chosen: NutritionFormat?
            if format == "auto" { chosen = nil } else {
                guard let f = NutritionFormat(rawValue: format) else {
                    throw CLIFailure.configuration("--format \(format): use auto, \(NutritionFormat.names)")
                }
                chosen = f
            }
            try loadFiles(files.map { try NutritionFile.inspectNutrition(URL(fileURLWithPath: $0), format: chosen) }, options)
        }
    }
}

/// Loads plain body-weight CSVs (`date` and `weight_kg` or `weight_lbs`).
struct LoadBodyWeight: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "body-weight", abstract: "Load body-weight CSVs: a date column and weight_kg or weight_lbs (optional fat_percent).")
    @OptionGroup var options: LoadOptions
    @Argument(help: "Body-weight CSV files.") var files: [String]

    func run() throws {
        try runReportingFailures {
            try loadFiles(files.map { try NutritionFile.inspectBodyWeight(URL(fileURLWithPath: $0)) }, options)
        }
    }
}

/// Loads inspected files one by one (see ``loadEach(_:name:_:)``). `inspect` runs for every file before
/// anything is loaded, so a missing file or unknown header is exit 2 with nothing loaded.
private func loadFiles(_ inspect: @autoclosure () throws -> [NutritionFile], _ options: LoadOptions) throws {
    let inspected: [NutritionFile]
    do { inspected = try inspect() } catch let e as LoadError { throw CLIFailure.configuration(e.description) }
    let conn = try options.db.connect()
    defer { conn.close() }
    let loader = NutritionLoader(connection: conn)
    let settings = NutritionLoader.Options(athleteId: options.athlete, maxRejects: options.maxRejects)
    try loadEach(inspected, name: { $0.url.path }) { try loader.load($0, options: settings) }
}

/// `fitdata targets set`.
struct Targets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets", abstract: "Per-athlete targets with effective dates.", subcommands: [TargetsSet.self])
}

/// Sets an athlete's targets from a date on (until the athlete's next row).
struct TargetsSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set targets from a date on; a target not given keeps the value in effect on that date.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Athlete id.") var athlete: String
    @Option(help: "First day the targets apply, YYYY-MM-DD.") var from: String
    @Option(help: "Daily calories (kcal).") var kcal: String?
    @Option(name: .customLong("protein-g"), help: "Daily protein in grams.") var proteinG: String?
    @Option(help: "Training sessions per week.") var sessionsPerWeek: String?

    func run() throws {
        try runReportingFailures {
            let conn = try db.connect()
            defer { conn.close() }
            let row: AthleteTargets.Row
            do {
                row = try AthleteTargets.set(conn, athleteId: athlete, from: from, kcal: kcal, proteinG: proteinG,
                                             sessionsPerWeek: sessionsPerWeek)
            } catch let e as LoadError { throw CLIFailure.configuration(e.description) }
            func show(_ v: String?) -> String { v ?? "none" }
            print("targets of \(athlete) from \(row.effectiveFrom): kcal \(show(row.kcal)), protein \(show(row.proteinG)) g, "
                  + "sessions/week \(show(row.sessionsPerWeek))")
        }
    }
}
