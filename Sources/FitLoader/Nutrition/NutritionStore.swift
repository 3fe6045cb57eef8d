import PostgresClient

/// Writes checked nutrition rows into `core`, set-based: each kind of row goes in one statement whose
/// rows travel as one jsonb parameter. Only rows whose values change are touched, so reloading a file
/// changes nothing; a day the file logs replaces that source's day and its entries.
struct NutritionStore {
    let connection: Connection
    let athleteSk: Int64
    let source: String

    /// Counts of an upsert.
    struct Counts { var new = 0, updated = 0, unchanged = 0 }

    /// Upserts the days; returns how many were new, changed or unchanged.
    func writeDays(_ days: [NutritionDay], fileId: String) throws -> Counts {
        guard !days.isEmpty else { return Counts() }
        let json = "[" + days.map { d in
            JSONValue.object([("date", .text(d.date.description))] + Self.nutrientPairs(d.nutrients) + [("extra", .object(d.extra))]).json
        }.joined(separator: ",") + "]"
        let result = try connection.query("""
            INSERT INTO core.nutrition_days AS t (athlete_sk, date, source, kcal, protein_g, carbs_g, fat_g, fiber_g, extra, file_id)
            SELECT $1::bigint, x.date, $2, x.kcal, x.protein_g, x.carbs_g, x.fat_g, x.fiber_g, coalesce(x.extra, '{}'), $3::bigint
            FROM jsonb_to_recordset($4::jsonb) AS x(date date, kcal numeric, protein_g numeric, carbs_g numeric, fat_g numeric,
                                                    fiber_g numeric, extra jsonb)
            ON CONFLICT (athlete_sk, date, source) DO UPDATE
            SET kcal = EXCLUDED.kcal, protein_g = EXCLUDED.protein_g, carbs_g = EXCLUDED.carbs_g, fat_g = EXCLUDED.fat_g,
                fiber_g = EXCLUDED.fiber_g, extra = EXCLUDED.extra, file_id = EXCLUDED.file_id, updated_at = EXCLUDED.updated_at
            WHERE (t.kcal, t.protein_g, t.carbs_g, t.fat_g, t.fiber_g, t.extra)
                  IS DISTINCT FROM (EXCLUDED.kcal, EXCLUDED.protein_g, EXCLUDED.carbs_g, EXCLUDED.fat_g, EXCLUDED.fiber_g, EXCLUDED.extra)
            RETURNING (xmax = 0) AS inserted
            """, [athleteSk, source, fileId, json])
        return Self.counts(result, total: days.count)
    }

    /// Makes the entries of every date in `dates` exactly `entries` (unchanged entries are not touched);
    /// returns how many were written.
    func replaceEntries(_ entries: [NutritionEntry], dates: Set<CalendarDate>) throws -> Int {
        guard !dates.isEmpty else { return 0 }
        let json = "[" + entries.map { e in
            var pairs: [(String, JSONValue)] = [("date", .text(e.date.description)), ("position", .number(String(e.position)))]
            if let m = e.meal { pairs.append(("meal", .text(m))) }
            if let t = e.time { pairs.append(("time_of_day", .text(t))) }
            if let f = e.food { pairs.append(("food", .text(f))) }
            if let a = e.amount { pairs.append(("amount", .text(a))) }
            return JSONValue.object(pairs + Self.nutrientPairs(e.nutrients) + [("extra", .object(e.extra))]).json
        }.joined(separator: ",") + "]"
        let dateList = "{" + dates.map(\.description).sorted().joined(separator: ",") + "}"
        let staged = """
            x AS (SELECT x.date, x.position, x.meal, x.time_of_day, x.food, x.amount, x.kcal, x.protein_g, x.carbs_g, x.fat_g,
                         x.fiber_g, coalesce(x.extra, '{}') AS extra
                  FROM jsonb_to_recordset($4::jsonb) AS x(date date, position integer, meal text, time_of_day time, food text,
                       amount text, kcal numeric, protein_g numeric, carbs_g numeric, fat_g numeric, fiber_g numeric, extra jsonb))
            """
        try connection.query("""
            WITH \(staged)
            DELETE FROM core.nutrition_entries e
            WHERE e.athlete_sk = $1::bigint AND e.source = $2 AND e.date = ANY ($3::date[])
              AND NOT EXISTS (SELECT 1 FROM x WHERE x.date = e.date AND x.position = e.position
                  AND (x.meal, x.time_of_day, x.food, x.amount, x.kcal, x.protein_g, x.carbs_g, x.fat_g, x.fiber_g, x.extra)
                      IS NOT DISTINCT FROM (e.meal, e.time_of_day, e.food, e.amount, e.kcal, e.protein_g, e.carbs_g, e.fat_g, e.fiber_g, e.extra))
            """, [athleteSk, source, dateList, json])
        return try connection.query("""
            WITH \(staged)
            INSERT INTO core.nutrition_entries (athlete_sk, date, source, position, meal, time_of_day, food, amount,
                                                kcal, protein_g, carbs_g, fat_g, fiber_g, extra)
            SELECT $1::bigint, x.date, $2, x.position, x.meal, x.time_of_day, x.food, x.amount,
                   x.kcal, x.protein_g, x.carbs_g, x.fat_g, x.fiber_g, x.extra
            FROM x WHERE x.date = ANY ($3::date[])
            ON CONFLICT (athlete_sk, source, date, position) DO NOTHING
            """, [athleteSk, source, dateList, json]).affectedRows
    }

    /// Upserts weigh-ins into `core.body_measurements`, converting to kg exactly in `numeric`.
    func writeWeighIns(_ weighIns: [WeighIn]) throws -> Counts {
        guard !weighIns.isEmpty else { return Counts() }
        let json = "[" + weighIns.map { w in
            var pairs: [(String, JSONValue)] = [("date", .text(w.date.description)), ("weight", .text(w.weight.text)),
                                                ("factor", .text(w.unit.kilogramsPerUnit)), ("extra", .object(w.extra))]
            if let f = w.fatPercent { pairs.append(("fat_percent", .text(f.text))) }
            return JSONValue.object(pairs).json
        }.joined(separator: ",") + "]"
        let result = try connection.query("""
            INSERT INTO core.body_measurements AS t (athlete_sk, date, source, weight_kg, fat_percent, extra)
            SELECT $1::bigint, x.date, $2, x.weight * x.factor, x.fat_percent, coalesce(x.extra, '{}')
            FROM jsonb_to_recordset($3::jsonb) AS x(date date, weight numeric, factor numeric, fat_percent numeric, extra jsonb)
            ON CONFLICT (athlete_sk, date, source) DO UPDATE
            SET weight_kg = EXCLUDED.weight_kg, fat_percent = EXCLUDED.fat_percent, extra = EXCLUDED.extra, updated_at = EXCLUDED.updated_at
            WHERE (t.weight_kg, t.fat_percent, t.extra) IS DISTINCT FROM (EXCLUDED.weight_kg, EXCLUDED.fat_percent, EXCLUDED.extra)
            RETURNING (xmax = 0) AS inserted
            """, [athleteSk, source, json])
        return Self.counts(result, total: weighIns.count)
    }

    /// The known nutrients as JSON strings holding the numbers as written (PostgreSQL reads them into `numeric`).
    private static func nutrientPairs(_ n: Nutrients) -> [(String, JSONValue)] {
        [("kcal", n.kcal), ("protein_g", n.proteinG), ("carbs_g", n.carbsG), ("fat_g", n.fatG), ("fiber_g", n.fiberG)]
            .compactMap { k, v in v.map { (k, JSONValue.text($0.text)) } }
    }

    private static func counts(_ result: QueryResult, total: Int) -> Counts {
        let new = result.rows.filter { $0[0] == "t" }.count
        let updated = result.rows.count - new
        return Counts(new: new, updated: updated, unchanged: total - new - updated)
    }
}
