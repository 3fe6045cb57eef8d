import PostgresClient

/// Reads ``DashboardData`` from the marts: one read-only, repeatable-read transaction, values bound as parameters.
public enum DashboardQueries {
    /// Weeks of muscle-group volume shown side by side.
    public static let muscleWeekCount = 4

    /// The athlete to show: `requested`, else the only athlete; throws when it does not exist or is ambiguous.
    public static func resolveAthlete(_ requested: String?, connection: Connection) throws -> String {
        let known = try mapMissingMarts { try connection.query("SELECT athlete_id FROM marts.dim_athlete ORDER BY athlete_id") }
            .rows.compactMap { $0[0] }
        if let requested {
            guard known.contains(requested) else { throw DashboardError.unknownAthlete(requested, known: known) }
            return requested
        }
        guard known.count == 1 else { throw DashboardError.athleteRequired(known: known) }
        return known[0]
    }

    /// Everything the dashboard of `athlete` shows, from one snapshot of the marts.
    public static func load(athlete: String, connection c: Connection) throws -> DashboardData {
        try mapMissingMarts {
            try c.transaction {
                try c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let a = try c.query("SELECT timezone, greatest(last_workout_date, (SELECT max(date) FROM marts.fct_nutrition_daily WHERE athlete_id = $1), (SELECT max(date) FROM marts.fct_body_weight_daily WHERE athlete_id = $1))::text FROM marts.dim_athlete WHERE athlete_id = $1", [athlete])
                guard !a.rows.isEmpty else { throw DashboardError.unknownAthlete(athlete, known: []) }
                let (muscleWeeks, muscleSets) = try muscles(athlete, c)
                return DashboardData(athlete: athlete, timezone: a.rows[0][0], lastDate: a.rows[0][1],
                                     lifts: try lifts(athlete, c), muscleWeeks: muscleWeeks, muscleSets: muscleSets,
                                     weeks: try weeks(athlete, c), intake: try intake(athlete, c), bodyWeight: try bodyWeight(athlete, c))
            }
        }
    }

    /// The main lifts of the athlete's latest report week (mart_weekly_report) with their whole weekly progression.
    static func lifts(_ athlete: String, _ c: Connection) throws -> [LiftProgression] {
        let main = try c.query("""
            SELECT (l->>'exercise_id')::bigint, l->>'exercise_title'
            FROM (SELECT main_lifts FROM marts.mart_weekly_report WHERE athlete_id = $1 ORDER BY week_start DESC LIMIT 1) r,
                 jsonb_array_elements(r.main_lifts) l
            ORDER BY (l->>'rank')::int
            """, [athlete])
        return try main.rows.compactMap { row -> LiftProgression? in
            guard let id = row[0].flatMap({ Int64($0) }) else { return nil }
            let weeks = try c.query("""
                SELECT week_start::text, best_e1rm_kg::float8, top_set_weight_kg::float8, coalesce(is_e1rm_pr, false), coalesce(is_weight_pr, false)
                FROM marts.mart_exercise_progression WHERE athlete_id = $1 AND exercise_id = $2 ORDER BY week_start
                """, [athlete, id]).rows.map {
                LiftWeek(weekStart: $0[0] ?? "", e1rmKg: double($0[1]), topSetKg: double($0[2]), isE1rmPR: $0[3] == "t", isWeightPR: $0[4] == "t")
            }
            return LiftProgression(exerciseId: id, title: row[1] ?? "exercise \(id)", weeks: weeks)
        }
    }

    /// Weighted hard sets per muscle group over the athlete's last ``muscleWeekCount`` weeks of muscle volume.
    static func muscles(_ athlete: String, _ c: Connection) throws -> ([String], [MuscleSets]) {
        let rows = try c.query("""
            WITH recent AS (
                SELECT DISTINCT week_start, iso_week FROM marts.mart_weekly_muscle_volume
                WHERE athlete_id = $1 ORDER BY week_start DESC LIMIT $2)
            SELECT r.iso_week, v.muscle_group, v.weighted_hard_sets::float8
            FROM recent r JOIN marts.mart_weekly_muscle_volume v ON v.athlete_id = $1 AND v.week_start = r.week_start AND v.is_muscle
            ORDER BY r.week_start, v.muscle_group
            """, [athlete, muscleWeekCount]).rows
        var weeks: [String] = [], byMuscle: [String: [String: Double]] = [:]
        for row in rows {
            guard let week = row[0], let muscle = row[1] else { continue }
            if !weeks.contains(week) { weeks.append(week) }
            byMuscle[muscle, default: [:]][week] = double(row[2])
        }
        let order = byMuscle.sorted { ($0.value.values.reduce(0, +), $1.key) > ($1.value.values.reduce(0, +), $0.key) }
        return (weeks, order.map { m in MuscleSets(muscleGroup: m.key, sets: weeks.map { m.value[$0] }) })
    }

    /// Every week of mart_weekly_training_diet, oldest first.
    static func weeks(_ athlete: String, _ c: Connection) throws -> [WeekRow] {
        try c.query("""
            SELECT iso_week, week_start::text, sessions, target_sessions::float8, hard_sets::float8, tonnage_kg::float8,
                   avg_kcal::float8, target_kcal::float8, avg_protein_g::float8, target_protein_g::float8, days_logged,
                   diet_adherence_pct::float8, weigh_ins, trend_weight_kg::float8, trend_weight_change_kg::float8,
                   energy_balance_kcal_per_day::float8
            FROM marts.mart_weekly_training_diet WHERE athlete_id = $1 ORDER BY week_start
            """, [athlete]).rows.map { r in
            WeekRow(isoWeek: r[0] ?? "", weekStart: r[1] ?? "", sessions: Int(r[2] ?? "") ?? 0, targetSessions: double(r[3]),
                    hardSets: double(r[4]), tonnageKg: double(r[5]), avgKcal: double(r[6]), targetKcal: double(r[7]),
                    avgProteinG: double(r[8]), targetProteinG: double(r[9]), daysLogged: Int(r[10] ?? "") ?? 0,
                    dietAdherencePct: double(r[11]), weighIns: Int(r[12] ?? "") ?? 0, trendWeightKg: double(r[13]),
                    trendWeightChangeKg: double(r[14]), energyBalanceKcalPerDay: double(r[15]))
        }
    }

    /// Logged days of fct_nutrition_daily, oldest first.
    static func intake(_ athlete: String, _ c: Connection) throws -> [IntakeDay] {
        try c.query("""
            SELECT date::text, kcal::float8, protein_g::float8, target_kcal::float8, target_protein_g::float8
            FROM marts.fct_nutrition_daily WHERE athlete_id = $1 ORDER BY date
            """, [athlete]).rows.compactMap { r in
            guard let date = r[0], let kcal = double(r[1]) else { return nil }
            return IntakeDay(date: date, kcal: kcal, proteinG: double(r[2]), targetKcal: double(r[3]), targetProteinG: double(r[4]))
        }
    }

    /// Days of fct_body_weight_daily, oldest first.
    static func bodyWeight(_ athlete: String, _ c: Connection) throws -> [BodyWeightDay] {
        try c.query("""
            SELECT date::text, weight_kg::float8, trend_kg::float8 FROM marts.fct_body_weight_daily WHERE athlete_id = $1 ORDER BY date
            """, [athlete]).rows.compactMap { r in
            guard let date = r[0], let trend = double(r[2]) else { return nil }
            return BodyWeightDay(date: date, weightKg: double(r[1]), trendKg: trend)
        }
    }

    /// A float8 column's text as a Double (nil for NULL).
    static func double(_ text: String?) -> Double? { text.flatMap(Double.init) }

    /// Runs `body`, turning "relation does not exist" (SQLSTATE 42P01) into ``DashboardError/martsMissing(_:)``.
    static func mapMissingMarts<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch PostgresClientError.server(let e) where e.sqlstate == "42P01" || e.sqlstate == "3F000" {
            throw DashboardError.martsMissing(e.message)
        }
    }
}
