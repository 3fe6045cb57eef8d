import FitLoader
import Foundation
import PostgresClient

/// The load step: every file waiting in the drop folder is recognized, loaded and moved.
///
/// - recognized and loaded (rows it rejects are in `raw.rejects` as with `fitdata load`) → `processed/`;
/// - the same bytes already loaded for the athlete (its SHA-256 in `raw.files`) → `processed/`, not loaded again,
///   with `<name>.duplicate.txt` naming the earlier file;
/// - not an export fitdata reads, or unreadable as its kind → `rejected/` with `<name>.reason.txt`;
/// - the database failed (not the file) → left in the inbox: the load rolled back, the next run tries it again.
///
/// Each file is loaded in its own transaction and moved after the commit: a run killed in between leaves a loaded
/// file in the inbox, which the next run finds in `raw.files` and moves as a duplicate.
struct LoadStep {
    let folder: DropFolder
    let connection: Connection
    let athleteID: String
    let timezone: String?
    let log: (String) -> Void

    func run(_ record: inout StepRecord) throws {
        var outcomes: [InboxFileOutcome] = []
        var rowsLoaded = 0, rowsRejected = 0
        for file in try folder.waiting() {
            var o = InboxFileOutcome(name: file.lastPathComponent, outcome: "failed")
            do {
                let export: ExportFile
                do { export = try ExportFile.inspect(file) } catch let e as LoadError {
                    o.outcome = "rejected"
                    o.detail = e.description
                    o.movedTo = try folder.moveToRejected(file, reason: e.description)
                    outcomes.append(o)
                    continue
                }
                o.format = export.formatName
                if let earlier = try duplicate(of: file, export) {
                    o.outcome = "duplicate"
                    o.detail = "same bytes as \(earlier), not loaded again"
                    o.movedTo = try folder.moveToProcessed(file, note: "\(file.lastPathComponent): \(o.detail!)\n")
                    outcomes.append(o)
                    continue
                }
                do {
                    let (read, rejected) = try load(export)
                    rowsLoaded += read - rejected
                    rowsRejected += rejected
                    o.outcome = "loaded"
                    o.detail = "\(read - rejected) rows loaded, \(rejected) rejected" + (rejected > 0 ? " (in raw.rejects)" : "")
                    o.movedTo = try folder.moveToProcessed(file)
                } catch let e as LoadError {
                    o.outcome = "rejected"
                    o.detail = e.description
                    o.movedTo = try folder.moveToRejected(file, reason: e.description)
                }
            } catch {
                o.outcome = "failed"
                o.detail = "\(error)"
                log("load: \(file.lastPathComponent): \(error); left in the inbox for the next run")
            }
            outcomes.append(o)
            if !connection.isConnected { break }     // every later file would fail the same way
        }
        func count(_ outcome: String) -> Int { outcomes.filter { $0.outcome == outcome }.count }
        record.files = outcomes
        record.counts = ["files": outcomes.count, "loaded": count("loaded"), "duplicates": count("duplicate"),
                         "rejected": count("rejected"), "failed": count("failed"),
                         "rows_loaded": rowsLoaded, "rows_rejected": rowsRejected]
        if outcomes.isEmpty { record.note = "the inbox is empty" }
        let failed = count("failed"), rejected = count("rejected")
        if failed + rejected == 0 {
            record.finish(.ok)
        } else {
            var parts: [String] = []
            if rejected > 0 { parts.append("\(rejected) file(s) rejected (moved to rejected/ with a .reason.txt)") }
            if failed > 0 { parts.append("\(failed) file(s) not loaded because the database failed (left in the inbox)") }
            record.finish(.failed, error: parts.joined(separator: "; "))
        }
    }

    /// The earlier file with the same bytes, kind and athlete in `raw.files`, or nil.
    private func duplicate(of file: URL, _ export: ExportFile) throws -> String? {
        let sha = try FileDigest.sha256(of: file)
        guard let row = try connection.query("""
            SELECT file_id::text, file_name, to_char(first_loaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC'
              FROM raw.files WHERE sha256 = $1 AND kind = $2 AND athlete_id = $3
            """, [sha, export.registryKind, athleteID]).rows.first else { return nil }
        return "raw.files file_id \(row[0] ?? "?") (\(row[1] ?? "?"), first loaded \(row[2] ?? "?"))"
    }

    /// Loads with the loader of its kind; returns rows read and rejected.
    private func load(_ export: ExportFile) throws -> (Int, Int) {
        switch export {
        case .hevyCSV(let f):
            let s = try HevyCSVLoader(connection: connection).load(f, options: .init(athleteId: athleteID, timezone: timezone))
            log(s.text)
            return (s.rowsRead, s.rowsRejected)
        case .nutrition(let f):
            let s = try NutritionLoader(connection: connection).load(f, options: .init(athleteId: athleteID))
            log(s.text)
            return (s.rowsRead, s.rowsRejected)
        }
    }
}
