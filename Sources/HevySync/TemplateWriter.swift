import FitDomain
import Foundation
import PostgresClient

/// Writes exercise templates into `core.exercises` (+ their title as an alias).
///
/// A template updates the exercise with its id; else it claims the exercise its title already
/// names without a template (typically one the CSV loader created); else it creates one.
struct TemplateWriter {
    /// The `exercise_type` values `core.exercises` accepts; others are stored as NULL (the raw payload keeps them).
    static let knownTypes: Set<String> = [
        "weight_reps", "reps_only", "bodyweight_reps", "bodyweight_assisted_reps", "duration",
        "weight_duration", "distance_duration", "short_distance_weight", "floors_duration", "steps_duration",
    ]

    let connection: Connection

    /// Upserts `template`; returns false when nothing changed.
    @discardableResult
    func write(_ template: HevyExerciseTemplate) throws -> Bool {
        let display = TitleNormalizer.display(template.title)
        let key = TitleNormalizer.key(template.title)
        let type = template.type.flatMap { Self.knownTypes.contains($0) ? $0 : nil }
        let secondary = String(decoding: try JSONSerialization.data(withJSONObject: template.secondaryMuscleGroups), as: UTF8.self)
        let params: [any SQLParameter] = [template.id, display.isEmpty ? template.id : display, type,
                                          template.primaryMuscleGroup, secondary, template.isCustom ?? false,
                                          template.equipment]
        let set = """
            title = $2, exercise_type = $3, primary_muscle_group = $4,
            secondary_muscle_groups = ARRAY(SELECT jsonb_array_elements_text($5::jsonb)),
            is_custom = $6::boolean, equipment = coalesce($7, core.exercises.equipment), updated_at = now()
            """
        let distinct = """
            (title, exercise_type, primary_muscle_group, secondary_muscle_groups, is_custom, equipment)
            IS DISTINCT FROM ($2, $3, $4, ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), $6::boolean,
                              coalesce($7, core.exercises.equipment))
            """
        var changed: Bool
        let exists = try connection.query("SELECT 1 FROM core.exercises WHERE hevy_template_id = $1", [template.id]).rows.count == 1
        if exists {
            changed = try connection.query(
                "UPDATE core.exercises SET \(set) WHERE hevy_template_id = $1 AND \(distinct)", params).affectedRows > 0
        } else {
            let claimed = key.isEmpty ? 0 : try connection.query("""
                UPDATE core.exercises SET hevy_template_id = $1, \(set)
                WHERE exercise_sk = (SELECT exercise_sk FROM core.exercise_aliases WHERE alias_normalized = $8)
                  AND hevy_template_id IS NULL
                """, params + [key]).affectedRows
            if claimed == 0 {
                try connection.query("""
                    INSERT INTO core.exercises (hevy_template_id, title, exercise_type, primary_muscle_group,
                        secondary_muscle_groups, is_custom, equipment)
                    VALUES ($1, $2, $3, $4, ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), $6::boolean, $7)
                    ON CONFLICT (hevy_template_id) DO UPDATE SET \(set)
                    """, params)
            }
            changed = true
        }
        if !key.isEmpty {
            try connection.query("""
                INSERT INTO core.exercise_aliases (alias_normalized, alias, exercise_sk, source)
                SELECT $1, $2, exercise_sk, 'hevy_api' FROM core.exercises WHERE hevy_template_id = $3
                ON CONFLICT (alias_normalized) DO NOTHING
                """, [key, display, template.id])
        }
        return changed
    }
}
