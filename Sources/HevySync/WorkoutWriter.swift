import FitDomain
import Foundation
import PostgresClient

/// Applies API workouts and deletions to `core.workouts`, `core.workout_exercises` and `core.sets`.
///
/// A workout is the unit of change: its row is found by Hevy id, else by the natural key
/// (athlete, start minute in the athlete's time zone, title) shared with CSV history, and its
/// exercises and sets are deleted and re-inserted whole. Older versions than the stored one are
/// skipped, so replayed or out-of-order events change nothing; so are versions not newer than a
/// deletion, whether of a stored row or of an id never stored (`core.hevy_workout_tombstones`). A
/// version from the full listing is the API's current state and brings a deleted workout back.
/// Call inside a transaction.
struct WorkoutWriter {
    /// What happened to one workout.
    enum Outcome: Equatable {
        case inserted, updated, mergedWithCSV, unchanged, stale
        /// A workout marked deleted here that the full listing still has.
        case undeleted
    }

    /// A workout that cannot be stored (the caller rejects it and goes on).
    struct Rejection: Error, CustomStringConvertible {
        let field: String?
        let description: String
    }

    let connection: Connection
    let athlete: Athlete
    let exercises: ExerciseResolver

    /// Writes `workout` whose canonical payload hash is `sha256`; `listed` when it comes from the full listing.
    /// - Returns: the outcome and the template ids whose exercises still lack template data.
    func write(_ workout: HevyWorkout, sha256: String, listed: Bool) throws -> (Outcome, Set<String>) {
        let title = TitleNormalizer.display(workout.title)
        let tz = athlete.timezone
        if listed {
            try connection.query("DELETE FROM core.hevy_workout_tombstones WHERE hevy_workout_id = $1 AND athlete_sk = $2",
                                 [workout.id, athlete.sk])
        } else if try connection.query("""
            SELECT 1 FROM core.hevy_workout_tombstones
            WHERE hevy_workout_id = $1 AND athlete_sk = $2 AND ($3::timestamptz IS NULL OR $3::timestamptz <= deleted_at)
            """, [workout.id, athlete.sk, workout.updatedAt]).rows.first != nil {
            return (.stale, [])
        }
        // the row holding this Hevy id, with how the incoming version compares to it
        let byID = try connection.query("""
            SELECT workout_sk, content_sha256 = $2 AND deleted_at IS NULL,
                   api_updated_at IS NOT NULL AND $3::timestamptz IS NOT NULL AND $3::timestamptz < api_updated_at,
                   deleted_at IS NOT NULL AND ($3::timestamptz IS NULL OR $3::timestamptz <= deleted_at),
                   athlete_sk = $4, deleted_at IS NOT NULL
            FROM core.workouts WHERE hevy_workout_id = $1
            """, [workout.id, sha256, workout.updatedAt, athlete.sk]).rows.first
        var target: Int64?
        var outcome = Outcome.inserted
        if let byID {
            if byID[4] != "t" {
                throw Rejection(field: "id", description: "workout \(workout.id) already belongs to another athlete; not stored")
            }
            let wasDeleted = byID[5] == "t"
            if byID[1] == "t" { return (.unchanged, []) }
            if listed ? (byID[2] == "t" && !wasDeleted) : (byID[2] == "t" || byID[3] == "t") { return (.stale, []) }
            guard byID[0] != nil else { throw Rejection(field: nil, description: "internal: no workout key") }
            target = Int64(byID[0]!)
            outcome = wasDeleted && listed ? .undeleted : .updated
        } else if let row = try connection.query("""
            SELECT workout_sk, hevy_workout_id, deleted_at IS NOT NULL FROM core.workouts
            WHERE athlete_sk = $1 AND title = $2
              AND start_local = date_trunc('minute', $3::timestamptz AT TIME ZONE $4)
            """, [athlete.sk, title, workout.startTime, tz]).rows.first {
            if row[1] == nil {
                outcome = .mergedWithCSV
            } else if row[2] == "t" {
                outcome = .updated   // a deleted workout re-created with the same start and title
                // the old id keeps its deletion, so its older versions stay stale
                try connection.query("""
                    INSERT INTO core.hevy_workout_tombstones (athlete_sk, hevy_workout_id, deleted_at)
                    SELECT athlete_sk, hevy_workout_id, deleted_at FROM core.workouts WHERE workout_sk = $1 AND hevy_workout_id IS NOT NULL
                    ON CONFLICT (hevy_workout_id) DO NOTHING
                    """, [Int64(row[0]!)!])
            } else {
                throw Rejection(field: "start_time", description:
                    "another API workout (\(row[1]!)) has the same start minute and title; not stored")
            }
            target = Int64(row[0]!)
        }
        let fields: [any SQLParameter] = [workout.id, title, workout.description, workout.startTime,
                                          workout.endTime, tz, sha256, workout.updatedAt, workout.routineID]
        let workoutSK: Int64
        if let target {
            try connection.query("""
                UPDATE core.workouts SET source = 'hevy_api', hevy_workout_id = $1, title = $2, description = $3,
                    description_raw = NULL, start_local = date_trunc('minute', $4::timestamptz AT TIME ZONE $6),
                    started_at = $4::timestamptz, ended_at = $5::timestamptz,
                    local_date = ($4::timestamptz AT TIME ZONE $6)::date, content_sha256 = $7,
                    api_updated_at = $8::timestamptz, hevy_routine_id = $9, deleted_at = NULL, updated_at = now()
                WHERE workout_sk = $10
                """, fields + [target])
            try connection.query("DELETE FROM core.workout_exercises WHERE workout_sk = $1", [target])
            workoutSK = target
        } else {
            workoutSK = Int64(try connection.query("""
                INSERT INTO core.workouts (athlete_sk, source, hevy_workout_id, title, description, start_local,
                    started_at, ended_at, local_date, content_sha256, api_updated_at, hevy_routine_id)
                VALUES ($10, 'hevy_api', $1, $2, $3, date_trunc('minute', $4::timestamptz AT TIME ZONE $6),
                    $4::timestamptz, $5::timestamptz, ($4::timestamptz AT TIME ZONE $6)::date, $7,
                    $8::timestamptz, $9)
                RETURNING workout_sk
                """, fields + [athlete.sk]).scalar!)!
        }
        let missing = try writeExercises(workout.exercises, workoutSK: workoutSK)
        return (outcome, missing)
    }

    /// Marks the workout with Hevy id `id` deleted (the row and its sets stay); false when unknown or already deleted.
    func markDeleted(id: String, deletedAt: String?) throws -> Bool {
        try connection.query("""
            UPDATE core.workouts SET deleted_at = coalesce($2::timestamptz, now()), updated_at = now()
            WHERE hevy_workout_id = $1 AND athlete_sk = $3 AND deleted_at IS NULL
              AND (api_updated_at IS NULL OR $2::timestamptz IS NULL OR api_updated_at <= $2::timestamptz)
            """, [id, deletedAt, athlete.sk]).affectedRows == 1
    }

    /// Records that Hevy deleted workout `id`, never stored here, at `deletedAt` (now when absent).
    func keepTombstone(id: String, deletedAt: String?, loadID: Int64) throws {
        try connection.query("""
            INSERT INTO core.hevy_workout_tombstones (athlete_sk, hevy_workout_id, deleted_at, load_id)
            VALUES ($1, $2, coalesce($3::timestamptz, now()), $4)
            ON CONFLICT (hevy_workout_id) DO UPDATE SET deleted_at = GREATEST(core.hevy_workout_tombstones.deleted_at, EXCLUDED.deleted_at)
            WHERE core.hevy_workout_tombstones.athlete_sk = EXCLUDED.athlete_sk
            """, [athlete.sk, id, deletedAt, loadID])
    }

    /// Marks live workout `id` deleted now because the API no longer has it (a full sync's reconciliation).
    func markAbsent(id: String) throws -> Bool {
        try connection.query("""
            UPDATE core.workouts SET deleted_at = now(), updated_at = now()
            WHERE hevy_workout_id = $1 AND athlete_sk = $2 AND deleted_at IS NULL AND source = 'hevy_api'
            """, [id, athlete.sk]).affectedRows == 1
    }

    private func writeExercises(_ list: [HevyExercise], workoutSK: Int64) throws -> Set<String> {
        var missingTemplates: Set<String> = []
        let ordered = list.enumerated().sorted { ($0.element.index ?? $0.offset, $0.offset) < ($1.element.index ?? $1.offset, $1.offset) }
        for (position, item) in ordered.map(\.element).enumerated() {
            let (exerciseSK, needsTemplate) = try exercises.resolve(templateID: item.exerciseTemplateID, title: item.title)
            if needsTemplate, let t = item.exerciseTemplateID { missingTemplates.insert(t) }
            let blockSK = Int64(try connection.query("""
                INSERT INTO core.workout_exercises (workout_sk, position, exercise_sk, superset_id, notes, athlete_sk)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING workout_exercise_sk
                """, [workoutSK, position, exerciseSK, item.supersetID, item.notes, athlete.sk]).scalar!)!
            try writeSets(item.sets, blockSK: blockSK)
        }
        return missingTemplates
    }

    private func writeSets(_ sets: [HevySet], blockSK: Int64) throws {
        guard !sets.isEmpty else { return }
        let ordered = sets.enumerated().sorted { ($0.element.index ?? $0.offset, $0.offset) < ($1.element.index ?? $1.offset, $1.offset) }
        var params: [any SQLParameter] = []
        var tuples: [String] = []
        for (position, s) in ordered.map(\.element).enumerated() {
            let b = params.count
            tuples.append("($\(b + 1)::bigint, $\(b + 2)::int, $\(b + 3)::int, $\(b + 4), $\(b + 5)::numeric, $\(b + 6)::int, "
                + "$\(b + 7)::numeric, $\(b + 8)::int, $\(b + 9)::numeric, $\(b + 10)::numeric, $\(b + 11)::bigint)")
            params += [blockSK, position, s.index, s.type, SQLNumber(s.weightKg), s.reps, SQLNumber(s.distanceMeters),
                       s.durationSeconds, SQLNumber(s.rpe), SQLNumber(s.customMetric), athlete.sk] as [any SQLParameter]
        }
        try connection.query("""
            INSERT INTO core.sets (workout_exercise_sk, position, set_index, set_type, weight_kg, reps,
                distance_m, duration_s, rpe, custom_metric, athlete_sk)
            VALUES \(tuples.joined(separator: ", "))
            """, params)
    }
}

/// A JSON number bound as `numeric` text, whole values without a trailing `.0` (100, not 100.0).
struct SQLNumber: SQLParameter {
    let value: Double?

    init(_ value: Double?) { self.value = value }

    var sqlText: String? {
        guard let v = value, v.isFinite else { return nil }
        if v.rounded() == v, abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
