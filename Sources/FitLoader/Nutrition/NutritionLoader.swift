import FitDomain
import Foundation
import PostgresClient

/// Loads nutrition and body-weight exports into `core`, one transaction per file, with the Hevy
/// loader's guarantees: every row lands or is in `raw.rejects` (line, column, reason, bytes), the
/// same file again changes nothing, a newer export of the same days replaces them (days it does not
/// log stay), and more rejects than `--max-rejects` roll the file back.
public struct NutritionLoader {
    /// Options for one load.
    public struct Options: Sendable {
        public var athleteId: String
        /// Roll the file back when more rows than this are rejected; nil = no limit.
        public var maxRejects: Int?

        public init(athleteId: String = "me", maxRejects: Int? = nil) {
            self.athleteId = athleteId
            self.maxRejects = maxRejects
        }
    }

    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Loads one inspected file. Throws ``LoadError/tooManyRejects(file:rejected:limit:)`` after rolling back.
    public func load(_ file: NutritionFile, options: Options) throws -> NutritionLoadSummary {
        let parse = file.parse
        var summary = NutritionLoadSummary(file: file.url.path, format: file.formatName)
        summary.rowsRead = parse.rowsRead
        summary.rowsRejected = parse.rejects.count
        summary.daysNotLogged = parse.notLogged.count
        summary.firstDate = parse.span?.lowerBound.description
        summary.lastDate = parse.span?.upperBound.description
        do {
            try connection.transaction {
                try LoadLock.take(connection)
                let athlete = try LoadError.domain { try Athletes.ensure(connection, athleteID: options.athleteId, timezone: nil) }
                let loadId = try connection.query(
                    "INSERT INTO meta.loads (kind, athlete_id) VALUES ($1, $2) RETURNING load_id",
                    [file.loadKind, options.athleteId]).scalar!
                summary.loadId = Int(loadId) ?? 0
                if let limit = options.maxRejects, parse.rejects.count > limit {
                    throw LoadError.tooManyRejects(file: file.url.path, rejected: parse.rejects.count, limit: limit)
                }
                let fileId = try connection.query("""
                    INSERT INTO raw.files (sha256, file_name, size_bytes, kind, athlete_id) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (sha256, kind, athlete_id) DO UPDATE SET last_loaded_at = now(), file_name = EXCLUDED.file_name
                    RETURNING file_id
                    """, [file.sha256, file.url.lastPathComponent, file.sizeBytes, file.loadKind, options.athleteId]).scalar!
                let store = NutritionStore(connection: connection, athleteSk: athlete.sk, source: file.source)
                let days = try store.writeDays(parse.days, fileId: fileId)
                (summary.daysNew, summary.daysUpdated, summary.daysUnchanged) = (days.new, days.updated, days.unchanged)
                let entryDates = Set(parse.days.map(\.date)).union(parse.entries.map(\.date))
                summary.entriesWritten = try store.replaceEntries(parse.entries, dates: entryDates)
                let weighIns = try store.writeWeighIns(parse.weighIns)
                (summary.weighInsNew, summary.weighInsUpdated, summary.weighInsUnchanged) = (weighIns.new, weighIns.updated, weighIns.unchanged)
                if file.kind == .nutrition(.macrofactor), let span = parse.span {
                    summary.targetsWritten = try AthleteTargets.applyMacroFactor(connection, athleteSk: athlete.sk,
                                                                                 points: parse.targets, span: span)
                }
                try RejectLog.write(parse.rejects, loadId: loadId, fileId: fileId, sourceName: file.url.lastPathComponent, on: connection)
                let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
                try connection.query("""
                    UPDATE meta.loads SET finished_at = now(), status = 'succeeded', rows_read = $2,
                           rows_loaded = $3, rows_rejected = $4, summary = $5::jsonb
                    WHERE load_id = $1
                    """, [loadId, summary.rowsRead, summary.rowsRead - summary.rowsRejected, summary.rowsRejected, json])
            }
        } catch let e as LoadError {
            RejectLog.recordFailure(kind: file.loadKind, athleteId: options.athleteId, rowsRead: summary.rowsRead,
                                    rowsRejected: summary.rowsRejected, summaryJSON: (try? JSONEncoder().encode(summary)), reason: e.description, on: connection)
            throw e
        }
        return summary
    }
}
