import ArgumentParser
import FitLoader
import Foundation
import PostgresClient

/// Loads nutrition exports (MyFitnessPal, Cronometer daily or servings, MacroFactor), one transaction per file.
struct LoadNutrition: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nutrition",
        abstract: "Load nutrition exports (\(NutritionFormat.names)); days, meals/foods, MacroFactor weigh-ins and targets.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Nutrition export files (CSV).") var files: [String]
    @Option(help: "Athlete id the days belong to.") var athlete = "me"
    @Option(help: "auto (from the header), \(NutritionFormat.names).") var format = "auto"
    @Option(help: "Roll a file back and exit 1 when more rows than this are rejected (default: no limit).")
    var maxRejects: Int?

    func run() throws {
        try runReportingFailures {
            let chosen: NutritionFormat?
            if format == "auto" { chosen = nil } else {
                guard let f = NutritionFormat(rawValue: format) else {
                    throw CLIFailure.configuration("--format \(format): use auto, \(NutritionFormat.names)")
                }
                chosen = f
            }
            try loadFiles(files.map { try NutritionFile.inspectNutrition(URL(fileURLWithPath: $0), format: chosen) },
                          db: db, athlete: athlete, maxRejects: maxRejects)
        }
    }
}

/// Loads plain body-weight CSVs (`date` and `weight_kg` or `weight_lbs`).
struct LoadBodyWeight: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "body-weight", abstract: "Load body-weight CSVs: a date column and weight_kg or weight_lbs (optional fat_percent).")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Body-weight CSV files.") var files: [String]
    @Option(help: "Athlete id the weigh-ins belong to.") var athlete = "me"
    @Option(help: "Roll a file back and exit 1 when more rows than this are rejected (default: no limit).")
    var maxRejects: Int?

    func run() throws {
        try runReportingFailures {
            try loadFiles(files.map { try NutritionFile.inspectBodyWeight(URL(fileURLWithPath: $0)) },
                          db: db, athlete: athlete, maxRejects: maxRejects)
        }
    }
}

/// Loads inspected files one by one, printing each summary; a file over `--max-rejects` is rolled back
/// and the command exits 1 after trying the others. `inspect` runs for every file before anything is
/// loaded, so a missing file or unknown header is exit 2 with nothing loaded.
private func loadFiles(_ inspect: @autoclosure () throws -> [NutritionFile], db: DatabaseOptions,
                       athlete: String, maxRejects: Int?) throws {
    let inspected: [NutritionFile]
    do { inspected = try inspect() } catch let e as LoadError { throw CLIFailure.configuration(e.description) }
    let conn = try db.connect()
    defer { conn.close() }
    let loader = NutritionLoader(connection: conn)
    var failed: [String] = []
    for file in inspected {
        do {
            let summary = try loader.load(file, options: .init(athleteId: athlete, maxRejects: maxRejects))
            print(summary.text)
            if summary.rowsRejected > 0 {
                print("  rejected rows are in raw.rejects (load_id \(summary.loadId)): SELECT line_number, field, reason FROM raw.rejects WHERE load_id = \(summary.loadId);")
            }
        } catch let e as LoadError {
            printError("fitdata: \(e.description)")
            failed.append(file.url.path)
        }
    }
    if !failed.isEmpty { throw CLIFailure.work("\(failed.count) file(s) not loaded") }
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
