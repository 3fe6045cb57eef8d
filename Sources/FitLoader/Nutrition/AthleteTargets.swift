import FitDomain
import Foundation
import PostgresClient

/// Writes `core.athlete_targets`: rows that hold from `effective_from` until the athlete's next row.
///
/// One rule for both writers: a kind of target not given is carried over from the row in effect on
/// that date, so setting calories never drops the sessions target (and MacroFactor, which has no
/// sessions target, keeps the one set with `fitdata targets set`).
public enum AthleteTargets {
    /// The targets in effect from one date, as stored (numeric text; nil = no target of that kind).
    public struct Row: Sendable, Equatable {
        public var effectiveFrom: String
        public var kcal: String?
        public var proteinG: String?
        public var sessionsPerWeek: String?
    }

    /// `fitdata targets set`: upserts the athlete's row for `from` (creating the athlete when new).
    ///
    /// Throws ``LoadError/configuration(_:)`` for a bad date, no target given, or a value outside the
    /// table's limits (kcal 0–20000, protein 0–1000 g, 0–21 sessions per week).
    public static func set(_ connection: Connection, athleteId: String, from: String,
                           kcal: String?, proteinG: String?, sessionsPerWeek: String?) throws -> Row {
        guard from.contains("-"), let date = CalendarDate.parse(from) else {
            throw LoadError.configuration("--from \"\(from)\" is not a date (YYYY-MM-DD)")
        }
        guard kcal != nil || proteinG != nil || sessionsPerWeek != nil else {
            throw LoadError.configuration("give at least one of --kcal, --protein-g, --sessions-per-week")
        }
        let k = try check(kcal, "--kcal", above: 0, below: 20_000)
        let p = try check(proteinG, "--protein-g", above: 0, below: 1_000)
        let s = try check(sessionsPerWeek, "--sessions-per-week", atLeast: 0, atMost: 21)
        return try connection.transaction {
            try LoadLock.take(connection)
            let athlete = try LoadError.domain { try Athletes.ensure(connection, athleteID: athleteId, timezone: nil) }
            let r = try connection.query("""
                INSERT INTO core.athlete_targets AS t (athlete_sk, effective_from, kcal, protein_g, sessions_per_week, source)
                SELECT $1::bigint, $2::date, coalesce($3::numeric, prev.kcal), coalesce($4::numeric, prev.protein_g),
                       coalesce($5::numeric, prev.sessions_per_week), 'cli'
                FROM (SELECT 1) one
                LEFT JOIN LATERAL (SELECT * FROM core.athlete_targets p WHERE p.athlete_sk = $1::bigint AND p.effective_from <= $2::date
                                   ORDER BY p.effective_from DESC LIMIT 1) prev ON true
                ON CONFLICT (athlete_sk, effective_from) DO UPDATE
                SET kcal = EXCLUDED.kcal, protein_g = EXCLUDED.protein_g, sessions_per_week = EXCLUDED.sessions_per_week,
                    source = 'cli', updated_at = EXCLUDED.updated_at
                RETURNING effective_from::text, kcal::text, protein_g::text, sessions_per_week::text
                """, [athlete.sk, date.description, k, p, s]).rows[0]
            return Row(effectiveFrom: r[0] ?? "", kcal: r[1], proteinG: r[2], sessionsPerWeek: r[3])
        }
    }

    /// Writes MacroFactor's target points for the dates `span` of one file: a row wherever the plan
    /// changes (and differs from the row already in effect), and removes MacroFactor rows inside the
    /// span that the file no longer shows as changes. Returns the rows written or removed.
    static func applyMacroFactor(_ connection: Connection, athleteSk: Int64, points: [TargetPoint],
                                 span: ClosedRange<CalendarDate>) throws -> Int {
        let sorted = points.sorted { $0.date < $1.date }
        var changes: [TargetPoint] = []
        for p in sorted where changes.last.map({ $0.kcal != p.kcal || $0.proteinG != p.proteinG }) ?? true {
            changes.append(p)
        }
        let dates = "{" + changes.map(\.date.description).joined(separator: ",") + "}"
        var written = try connection.query("""
            DELETE FROM core.athlete_targets
            WHERE athlete_sk = $1::bigint AND source = 'macrofactor' AND effective_from BETWEEN $2::date AND $3::date
              AND effective_from <> ALL ($4::date[])
            """, [athleteSk, span.lowerBound.description, span.upperBound.description, dates]).affectedRows
        for c in changes {
            written += try connection.query("""
                INSERT INTO core.athlete_targets AS t (athlete_sk, effective_from, kcal, protein_g, sessions_per_week, source)
                SELECT $1::bigint, $2::date, $3::numeric, $4::numeric, prev.sessions_per_week, 'macrofactor'
                FROM (SELECT 1) one
                LEFT JOIN LATERAL (SELECT * FROM core.athlete_targets p WHERE p.athlete_sk = $1::bigint AND p.effective_from <= $2::date
                                   ORDER BY p.effective_from DESC LIMIT 1) prev ON true
                WHERE prev.effective_from IS NULL OR (prev.kcal, prev.protein_g) IS DISTINCT FROM ($3::numeric, $4::numeric)
                ON CONFLICT (athlete_sk, effective_from) DO UPDATE
                SET kcal = EXCLUDED.kcal, protein_g = EXCLUDED.protein_g, source = 'macrofactor', updated_at = EXCLUDED.updated_at
                """, [athleteSk, c.date.description, c.kcal?.text, c.proteinG?.text]).affectedRows
        }
        return written
    }

    /// The number in `text` when it lies in the given bounds; nil when `text` is nil.
    private static func check(_ text: String?, _ option: String, above: Decimal? = nil, below: Decimal? = nil,
                              atLeast: Decimal? = nil, atMost: Decimal? = nil) throws -> String? {
        guard let text else { return nil }
        guard let q = try? Quantity.read(text) else { throw LoadError.configuration("\(option) \"\(text)\" is not a number") }
        let v = q.value
        if let above, v <= above { throw LoadError.configuration("\(option) must be above \(above), got \(text)") }
        if let below, v >= below { throw LoadError.configuration("\(option) must be below \(below), got \(text)") }
        if let atLeast, v < atLeast { throw LoadError.configuration("\(option) must be at least \(atLeast), got \(text)") }
        if let atMost, v > atMost { throw LoadError.configuration("\(option) must be at most \(atMost), got \(text)") }
        return q.text
    }
}
