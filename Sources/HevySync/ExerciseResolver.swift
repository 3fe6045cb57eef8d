import FitDomain
import Foundation
import PostgresClient

/// Finds or creates the `core.exercises` row of a workout's exercise block.
///
/// Matching order: the Hevy template id; else the normalized title through `core.exercise_aliases`
/// (the key the CSV loader writes), claiming that exercise for the template id when it has none;
/// else a new exercise (a stub until its template is read) with its title as an alias.
struct ExerciseResolver {
    let connection: Connection

    /// The exercise key, and whether the exercise still lacks template data (`is_custom` unknown).
    func resolve(templateID: String?, title: String) throws -> (sk: Int64, needsTemplate: Bool) {
        let display = TitleNormalizer.display(title)
        let key = TitleNormalizer.key(title)
        if let templateID, let row = try connection.query(
            "SELECT exercise_sk, is_custom IS NULL FROM core.exercises WHERE hevy_template_id = $1", [templateID]).rows.first {
            return (Int64(row[0]!)!, row[1] == "t")
        }
        if !key.isEmpty, let row = try connection.query("""
            SELECT e.exercise_sk, e.hevy_template_id, e.is_custom IS NULL
            FROM core.exercise_aliases a JOIN core.exercises e USING (exercise_sk)
            WHERE a.alias_normalized = $1
            """, [key]).rows.first {
            let sk = Int64(row[0]!)!
            if templateID == nil || row[1] == templateID { return (sk, templateID != nil && row[2] == "t") }
            if row[1] == nil {
                let claimed = try connection.query(
                    "UPDATE core.exercises SET hevy_template_id = $2, updated_at = now() WHERE exercise_sk = $1 AND hevy_template_id IS NULL",
                    [sk, templateID]).affectedRows
                if claimed == 1 { return (sk, row[2] == "t") }
            }
            // the title belongs to another template (e.g. a custom exercise named like a built-in one)
        }
        let sk = try insertExercise(title: display.isEmpty ? (templateID ?? "unknown exercise") : display,
                                    templateID: templateID)
        if !key.isEmpty {
            try connection.query("""
                INSERT INTO core.exercise_aliases (alias_normalized, alias, exercise_sk, source)
                VALUES ($1, $2, $3, 'hevy_api') ON CONFLICT (alias_normalized) DO NOTHING
                """, [key, display, sk])
        }
        return (sk, templateID != nil)
    }

    private func insertExercise(title: String, templateID: String?) throws -> Int64 {
        if let templateID {
            // ON CONFLICT: another athlete's concurrent sync may create the same template row
            return Int64(try connection.query("""
                INSERT INTO core.exercises (title, hevy_template_id) VALUES ($1, $2)
                ON CONFLICT (hevy_template_id) DO UPDATE SET updated_at = core.exercises.updated_at
                RETURNING exercise_sk
                """, [title, templateID]).scalar!)!
        }
        return Int64(try connection.query(
            "INSERT INTO core.exercises (title) VALUES ($1) RETURNING exercise_sk", [title]).scalar!)!
    }
}
