import PostgresClient

/// The SQL around the streamed sets: workouts and exercises are applied set-based from small
/// staging tables, in dependency order, before the blocks are copied in.
///
/// Every statement binds its values ($1 = athlete_sk, …); nothing is spliced into the SQL.
enum HevyCSVMerge {
    /// The columns the assembler streams into `core.sets`, in its order (binary format: see ``BinaryCopy``).
    static let copySets = """
        COPY core.sets (set_sk, athlete_sk, workout_exercise_sk, position, source_line, set_index, set_type, weight_kg, reps,
                        distance_m, duration_s, rpe) FROM STDIN WITH (FORMAT binary)
        """

    /// The exercise blocks of new and changed workouts, keys allocated by the loader.
    static let copyBlocks = """
        COPY core.workout_exercises (workout_exercise_sk, athlete_sk, workout_sk, position, exercise_sk, superset_id, notes,
                                     notes_raw) FROM STDIN
        """

    /// Existing workouts of the athlete, by natural key. $1 = athlete_sk.
    static let existingWorkouts = """
        SELECT to_char(start_local, 'YYYY MM DD HH24 MI'), title, workout_sk, content_sha256,
               source = 'hevy_api', deleted_at IS NOT NULL
        FROM core.workouts WHERE athlete_sk = $1::bigint
        """

    /// The tables a load writes in bulk mode (see ``BulkLoadMode``).
    static let loadedTables = ["core.workouts", "core.workout_exercises", "core.sets"]

    /// About how many sets are stored (the planner's count, kept by ANALYZE/autovacuum; cheap).
    static let storedSets = "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'core.sets'::regclass"

    /// No one else writes workouts, blocks or sets until the load commits; readers are not blocked.
    static let lockTables = "LOCK TABLE core.workouts, core.workout_exercises, core.sets IN SHARE ROW EXCLUSIVE MODE"

    /// The keys under `core.sets` are checked at commit (the sets arrive before their blocks).
    static let deferKeys = """
        SET CONSTRAINTS core.sets_workout_exercise_sk_fkey, core.workout_exercises_workout_sk_fkey,
                        core.workout_exercises_exercise_sk_fkey DEFERRED
        """

    /// First key of a range the loader allocates. $1 = table, $2 = identity column.
    static let reserveKey = "SELECT nextval(pg_get_serial_sequence($1, $2))"
    /// Moves an identity past the keys the loader used. $1 = table, $2 = column, $3 = last key used.
    static let advanceKey = "SELECT setval(pg_get_serial_sequence($1, $2), $3::bigint)"

    /// One row per changed or API-owned workout of the file (dropped at commit).
    static let createStageWorkouts = """
        CREATE TEMP TABLE stage_workouts (
            action text NOT NULL, workout_sk bigint NOT NULL, start_local timestamp NOT NULL, title text NOT NULL,
            end_local timestamp NOT NULL, description text, description_raw text, content_sha256 text NOT NULL
        ) ON COMMIT DROP
        """

    /// The distinct exercises of the file (matching key → first title seen).
    static let createStageExercises = """
        CREATE TEMP TABLE stage_exercises (exercise_norm text PRIMARY KEY, exercise_title text NOT NULL) ON COMMIT DROP
        """

    /// The old sets of changed workouts, kept to count what changed once they are replaced.
    static let snapshotOldSets = "CREATE TEMP TABLE old_sets ON COMMIT DROP AS \(setsOfChangedWorkouts)"

    /// The stored sets of the changed workouts, with the fields a set's change is judged by.
    private static let setsOfChangedWorkouts = """
        SELECT we.workout_sk, we.position AS block, s.position AS set_pos, we.exercise_sk, we.superset_id, we.notes,
               s.set_index, s.set_type, s.weight_kg, s.reps, s.distance_m, s.duration_s, s.rpe
        FROM stage_workouts sw
        JOIN core.workout_exercises we ON we.workout_sk = sw.workout_sk
        JOIN core.sets s ON s.athlete_sk = we.athlete_sk AND s.workout_exercise_sk = we.workout_exercise_sk
        WHERE sw.action = 'updated'
        """

    /// Removes the old sets and blocks of changed workouts (their new ones are streamed in).
    static let deleteOldSets = """
        DELETE FROM core.sets s USING core.workout_exercises we, stage_workouts sw
        WHERE sw.action = 'updated' AND we.workout_sk = sw.workout_sk
          AND s.athlete_sk = we.athlete_sk AND s.workout_exercise_sk = we.workout_exercise_sk
        """
    static let deleteOldBlocks = """
        DELETE FROM core.workout_exercises we USING stage_workouts sw
        WHERE sw.action = 'updated' AND we.workout_sk = sw.workout_sk
        """

    /// Local times of the load are read in the athlete's zone: `set_config('timezone', $1, true)` for the
    /// transaction, so `start_local::timestamptz` (and a COPY of local times into a `timestamptz`) means
    /// `start_local AT TIME ZONE zone` — the same offset rules, DST gaps and repeats included (zones where the two
    /// would differ are refused by ``Athletes/validateTimezone(_:on:)``). Returns the setting it replaced.
    static let readLocalTimesIn = "SELECT current_setting('timezone'), set_config('timezone', $1, true)"
    static let restoreTimezone = "SELECT set_config('timezone', $1, true)"

    /// Changed workouts get the file's fields (local times read as set by ``readLocalTimesIn``). $1 = file_id.
    ///
    /// The local times are converted in a subquery over the staging table: Citus refuses an UPDATE of a distributed
    /// table that calls a STABLE function (the `timestamp` → `timestamptz` cast) on columns, and plans the subquery
    /// on the coordinator, in this session's time zone.
    static let updateWorkouts = """
        UPDATE core.workouts w
        SET description = sw.description, description_raw = sw.description_raw,
            started_at = sw.started_at, ended_at = sw.ended_at,
            local_date = sw.local_date, content_sha256 = sw.content_sha256, csv_file_id = $1::bigint,
            deleted_at = NULL, updated_at = now()
        FROM (SELECT workout_sk, description, description_raw, content_sha256, start_local::timestamptz AS started_at,
                     end_local::timestamptz AS ended_at, start_local::date AS local_date
                FROM stage_workouts WHERE action = 'updated') sw
        WHERE w.workout_sk = sw.workout_sk
        """

    /// New workouts, with the keys the loader allocated: each line starts with the constant columns
    /// (file, athlete, source), then ``HevyWorkoutAssembler/newWorkoutRows``; the three local times
    /// are read as set by ``readLocalTimesIn``.
    static let copyNewWorkouts = """
        COPY core.workouts (csv_file_id, athlete_sk, source, workout_sk, title, description, description_raw, start_local,
                            started_at, ended_at, local_date, content_sha256) FROM STDIN
        """

    /// The API version wins; the CSV file is kept as the workout's history link. $1 = file_id.
    static let linkAPIWorkouts = """
        UPDATE core.workouts w SET csv_file_id = $1::bigint
        FROM stage_workouts sw WHERE sw.action = 'api' AND w.workout_sk = sw.workout_sk
        """

    /// New exercise titles get an exercise and an alias.
    static let insertExercises = """
        WITH fresh AS (
            SELECT exercise_norm, exercise_title
            FROM stage_exercises s
            WHERE NOT EXISTS (SELECT 1 FROM core.exercise_aliases a WHERE a.alias_normalized = s.exercise_norm)
        ), created AS (
            INSERT INTO core.exercises (title) SELECT exercise_title FROM fresh
            RETURNING exercise_sk, title
        )
        INSERT INTO core.exercise_aliases (alias_normalized, alias, exercise_sk, source)
        SELECT f.exercise_norm, f.exercise_title, c.exercise_sk, 'hevy_csv'
        FROM fresh f JOIN created c ON c.title = f.exercise_title
        """

    /// Exercise key of every staged exercise title.
    static let exerciseKeys = """
        SELECT s.exercise_norm, a.exercise_sk FROM stage_exercises s
        JOIN core.exercise_aliases a ON a.alias_normalized = s.exercise_norm
        """

    /// Set-level change counts of changed workouts: old sets against the ones now stored.
    static let compareSets = """
        WITH new AS (\(setsOfChangedWorkouts))
        SELECT count(*) FILTER (WHERE o.block IS NULL) AS sets_new,
               count(*) FILTER (WHERE n.block IS NULL) AS sets_removed,
               count(*) FILTER (WHERE o.block IS NOT NULL AND n.block IS NOT NULL AND
                   ROW(o.exercise_sk, o.superset_id, o.notes, o.set_index, o.set_type, o.weight_kg, o.reps, o.distance_m, o.duration_s, o.rpe)
                   IS DISTINCT FROM
                   ROW(n.exercise_sk, n.superset_id, n.notes, n.set_index, n.set_type, n.weight_kg, n.reps, n.distance_m, n.duration_s, n.rpe)) AS sets_updated,
               count(*) FILTER (WHERE o.block IS NOT NULL AND n.block IS NOT NULL AND
                   ROW(o.exercise_sk, o.superset_id, o.notes, o.set_index, o.set_type, o.weight_kg, o.reps, o.distance_m, o.duration_s, o.rpe)
                   IS NOT DISTINCT FROM
                   ROW(n.exercise_sk, n.superset_id, n.notes, n.set_index, n.set_type, n.weight_kg, n.reps, n.distance_m, n.duration_s, n.rpe)) AS sets_unchanged
        FROM old_sets o
        FULL JOIN new n ON o.workout_sk = n.workout_sk AND o.block = n.block AND o.set_pos = n.set_pos
        """
}
