import Foundation
import PostgresClient

/// Reads ``WeeklyFacts`` for one athlete and ISO week from the marts (one query set, one snapshot).
///
/// Sources: `marts.mart_weekly_report` (the five-week series, muscle groups, main lifts),
/// `marts.mart_weekly_training` (session adherence), `marts.mart_exercise_progression` (the week's PRs),
/// `marts.fct_nutrition_daily` and `marts.fct_body_weight_daily` (the daily series), `core.athletes` (the zone).
public struct FactsReader {
    let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    /// The athlete's IANA time zone; throws ``ReportError/unknownAthlete(_:)``.
    public func timezone(of athlete: String) throws -> String {
        guard let tz = try connection.query("SELECT timezone FROM core.athletes WHERE athlete_id = $1", [athlete]).scalar else {
            throw ReportError.unknownAthlete(athlete)
        }
        return tz
    }

    /// The facts of `week` for `athlete`, read in one repeatable-read transaction so every part agrees.
    public func read(athlete: String, week: ReportWeek) throws -> WeeklyFacts {
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { _ = try? connection.execute("ROLLBACK") }
        let tz = try timezone(of: athlete)
        guard try connection.query("SELECT to_regclass('marts.mart_weekly_report') IS NOT NULL").scalar == "t" else {
            throw ReportError.martsMissing("marts.mart_weekly_report does not exist: run `fitdata build` first")
        }
        let monday = try week.monday(on: connection)
        guard let json = try connection.query("""
            SELECT to_jsonb(r)::text FROM marts.mart_weekly_report r WHERE athlete_id = $1 AND week_start = $2::date
            """, [athlete, monday]).scalar else {
            let range = try connection.query("""
                SELECT min(iso_week), max(iso_week) FROM marts.mart_weekly_report WHERE athlete_id = $1
                """, [athlete]).rows[0]
            if let first = range[0], let last = range[1] {
                throw ReportError.noData(athlete: athlete, week: week.description,
                                         detail: "the athlete's weeks with data are \(first) to \(last)")
            }
            throw ReportError.noData(athlete: athlete, week: week.description,
                                     detail: "the athlete has no week in the marts (load data, then run `fitdata build`)")
        }
        let row = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        var weeks = try readWeeks(row: row, athlete: athlete, monday: monday)
        try addSessionAdherence(&weeks, athlete: athlete, monday: monday)
        let sunday = try connection.query("SELECT ($1::date + 6)::text", [monday]).scalar ?? monday
        return WeeklyFacts(
            athleteId: athlete, timezone: tz, isoWeek: week.description, weekStart: monday, weekEnd: sunday,
            weeks: weeks, muscleGroups: muscleGroups(row["muscle_hard_sets"]), mainLifts: mainLifts(row["main_lifts"]),
            personalRecords: try personalRecords(athlete: athlete, monday: monday),
            days: try days(athlete: athlete, monday: monday), missing: MissingDataRule.find(in: weeks))
    }

    private func readWeeks(row: [String: Any], athlete: String, monday: String) throws -> [WeekFacts] {
        let labels = try connection.query("""
            SELECT to_char(d, 'IYYY-"W"IW'), d::date::text FROM generate_series($1::date, $1::date - 28, interval '-7 days') AS g(d)
            """, [monday]).rows
        func series(_ key: String) -> [Any?] {
            let a = row[key] as? [Any] ?? []
            return (0..<5).map { $0 < a.count ? a[$0] : nil }
        }
        let hasData = series("iso_weeks").map { $0 is String }
        let s = (sessions: series("sessions"), target: series("target_sessions"), hard: series("hard_sets"),
                 tonnage: series("tonnage_kg"), prs: series("prs"), kcal: series("avg_kcal"), tkcal: series("target_kcal"),
                 protein: series("avg_protein_g"), tprotein: series("target_protein_g"), logged: series("days_logged"),
                 diet: series("diet_adherence_pct"), proteinAdh: series("protein_adherence_pct"), weighIns: series("weigh_ins"),
                 trend: series("trend_weight_kg"), change: series("trend_weight_change_kg"),
                 balance: series("energy_balance_kcal_per_day"), maintenance: series("estimated_maintenance_kcal"))
        return (0..<5).map { i in
            var w = WeekFacts(isoWeek: labels[i][0] ?? "", weekStart: labels[i][1] ?? "", hasData: hasData[i])
            w.sessions = JSONValue.int(s.sessions[i]); w.targetSessions = JSONValue.double(s.target[i])
            w.hardSets = JSONValue.int(s.hard[i]); w.tonnageKg = JSONValue.double(s.tonnage[i]); w.prs = JSONValue.int(s.prs[i])
            w.avgKcal = JSONValue.double(s.kcal[i]); w.targetKcal = JSONValue.double(s.tkcal[i])
            w.avgProteinG = JSONValue.double(s.protein[i]); w.targetProteinG = JSONValue.double(s.tprotein[i])
            w.daysLogged = JSONValue.int(s.logged[i]); w.dietAdherencePct = JSONValue.double(s.diet[i])
            w.proteinAdherencePct = JSONValue.double(s.proteinAdh[i]); w.weighIns = JSONValue.int(s.weighIns[i])
            w.trendWeightKg = JSONValue.double(s.trend[i]); w.trendWeightChangeKg = JSONValue.double(s.change[i])
            w.energyBalanceKcalPerDay = JSONValue.double(s.balance[i])
            w.estimatedMaintenanceKcal = JSONValue.double(s.maintenance[i])
            return w
        }
    }

    private func addSessionAdherence(_ weeks: inout [WeekFacts], athlete: String, monday: String) throws {
        let rows = try connection.query("""
            SELECT week_start::text, adherence_pct::text FROM marts.mart_weekly_training
            WHERE athlete_id = $1 AND week_start BETWEEN $2::date - 28 AND $2::date
            """, [athlete, monday]).rows
        for r in rows {
            if let i = weeks.firstIndex(where: { $0.weekStart == r[0] }) { weeks[i].sessionAdherencePct = r[1].flatMap(Double.init) }
        }
    }

    private func muscleGroups(_ value: Any?) -> [MuscleGroupFacts] {
        let dict = value as? [String: Any] ?? [:]
        return dict.map { key, v in
            MuscleGroupFacts(muscleGroup: key, hardSets: (v as? [Any] ?? []).map { JSONValue.double($0) ?? 0 })
        }.sorted { ($0.hardSets.first ?? 0, $1.muscleGroup) > ($1.hardSets.first ?? 0, $0.muscleGroup) }
    }

    private func mainLifts(_ value: Any?) -> [MainLiftFacts] {
        (value as? [[String: Any]] ?? []).map { l in
            MainLiftFacts(rank: JSONValue.int(l["rank"]) ?? 0, exerciseId: JSONValue.int(l["exercise_id"]) ?? 0,
                          exerciseTitle: l["exercise_title"] as? String ?? "",
                          e1rmKg: (l["e1rm_kg"] as? [Any] ?? []).map(JSONValue.double),
                          e1rmChangeKg: JSONValue.double(l["e1rm_change_kg"]))
        }.sorted { $0.rank < $1.rank }
    }

    private func personalRecords(athlete: String, monday: String) throws -> [PersonalRecord] {
        try connection.query("""
            SELECT exercise_title, is_weight_pr, is_e1rm_pr, is_best_set_pr, is_session_tonnage_pr,
                   best_e1rm_kg::text, top_set_weight_kg::text, top_set_reps::text
            FROM marts.mart_exercise_progression
            WHERE athlete_id = $1 AND week_start = $2::date
              AND (is_weight_pr OR is_e1rm_pr OR is_best_set_pr OR is_session_tonnage_pr)
            ORDER BY exercise_title, exercise_id
            """, [athlete, monday]).rows.map { r in
            let kinds = zip(["weight", "e1rm", "best_set", "session_tonnage"], r[1...4]).filter { $0.1 == "t" }.map(\.0)
            return PersonalRecord(exerciseTitle: r[0] ?? "", kinds: kinds, e1rmKg: r[5].flatMap(Double.init),
                                  topSetWeightKg: r[6].flatMap(Double.init), topSetReps: r[7].flatMap(Int.init))
        }
    }

    private func days(athlete: String, monday: String) throws -> [DayFacts] {
        try connection.query("""
            SELECT d::date::text, n.kcal::text, n.target_kcal::text, n.protein_g::text, n.target_protein_g::text,
                   b.weight_kg::text, b.trend_kg::text
            FROM generate_series($2::date - 28, $2::date + 6, interval '1 day') AS g(d)
            LEFT JOIN marts.fct_nutrition_daily n ON n.athlete_id = $1 AND n.date = g.d::date
            LEFT JOIN marts.fct_body_weight_daily b ON b.athlete_id = $1 AND b.date = g.d::date
            ORDER BY g.d
            """, [athlete, monday]).rows.map { r in
            DayFacts(date: r[0] ?? "", kcal: r[1].flatMap(Double.init), targetKcal: r[2].flatMap(Double.init),
                     proteinG: r[3].flatMap(Double.init), targetProteinG: r[4].flatMap(Double.init),
                     weightKg: r[5].flatMap(Double.init), trendKg: r[6].flatMap(Double.init))
        }
    }
}

/// Reading numbers out of `JSONSerialization` values (NSNumber, NSNull, strings of numerals).
enum JSONValue {
    static func double(_ v: Any?) -> Double? {
        switch v {
        case let n as NSNumber: return n.doubleValue
        case let s as String: return Double(s)
        default: return nil
        }
    }

    static func int(_ v: Any?) -> Int? { double(v).map { Int($0.rounded()) } }
}
