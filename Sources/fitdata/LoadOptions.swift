import ArgumentParser
import FitLoader
import Foundation

/// The options every `fitdata load …` command takes: the database, the athlete, the reject limit.
struct LoadOptions: ParsableArguments {
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Athlete id the loaded rows belong to.") var athlete = "me"
    @Option(help: "Roll a file back and exit 1 when more rows than this are rejected (default: no limit).")
    var maxRejects: Int?
}

/// What a file load reports: its summary line and where its rejected rows are.
protocol FileLoadSummary {
    var text: String { get }
    var loadId: Int { get }
    var rowsRejected: Int { get }
}

extension HevyCSVLoadSummary: FileLoadSummary {}
extension NutritionLoadSummary: FileLoadSummary {}

/// Loads `files` one by one with `load`, printing each summary (and the query that lists its rejects); a
/// file that fails (a ``LoadError``, e.g. over `--max-rejects`: rolled back) is reported on stderr and the
/// others are still tried; then the command exits 1 naming how many failed.
func loadEach<File>(_ files: [File], name: (File) -> String, _ load: (File) throws -> any FileLoadSummary) throws {
    var failed: [String] = []
    for file in files {
        do {
            let summary = try load(file)
            print(summary.text)
            if summary.rowsRejected > 0 {
                print("  rejected rows are in raw.rejects (load_id \(summary.loadId)): SELECT line_number, field, reason FROM raw.rejects WHERE load_id = \(summary.loadId);")
            }
        } catch let e as LoadError {
            printError("fitdata: \(e.description)")
            failed.append(name(file))
        }
    }
    if !failed.isEmpty { throw CLIFailure.work("\(failed.count) file(s) not loaded") }
}
