import Foundation
import PostgresClient

/// The run record of one written report: a row of `meta.reports` (migration 0011).
struct ReportRecord {
    let result: WeeklyReportResult
    let language: ReportLanguage
    /// SHA-256 of the Markdown, the HTML and the facts JSON, in that order.
    let checksums: [String]

    /// Inserts the row, replacing the one of the same athlete and week (only that one).
    func save(on connection: Connection) throws {
        let f = result.facts
        do {
            try connection.query("""
                INSERT INTO meta.reports (athlete_id, iso_week, week_start, language, provider, model, input_tokens, output_tokens,
                                          unverified_numbers, location, markdown_sha256, html_sha256, facts_sha256)
                VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                ON CONFLICT (athlete_id, iso_week) DO UPDATE SET
                    week_start = EXCLUDED.week_start, language = EXCLUDED.language, provider = EXCLUDED.provider,
                    model = EXCLUDED.model, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
                    unverified_numbers = EXCLUDED.unverified_numbers, location = EXCLUDED.location,
                    markdown_sha256 = EXCLUDED.markdown_sha256, html_sha256 = EXCLUDED.html_sha256,
                    facts_sha256 = EXCLUDED.facts_sha256, created_at = now()
                """, [f.athleteId, f.isoWeek, f.weekStart, language.rawValue, result.provider, result.model,
                      result.inputTokens, result.outputTokens, result.unverified.count,
                      result.locations.count > 1 ? result.locations[1] : (result.locations.first ?? ""),
                      checksums[0], checksums[1], checksums[2]])
        } catch {
            throw ReportError.output("recording the report in meta.reports: \(error)")
        }
    }
}
