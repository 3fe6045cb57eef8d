import PostgresClient

/// The set-based SQL that merges `stage_sets` into `core`, in dependency order:
/// exercises (+ aliases) → workouts → workout_exercises → sets.
///
/// Every statement binds its values ($1 = athlete_sk, …); nothing is spliced into the SQL.
enum HevyCSVMerge {
    /// Folds the settings that change stored values into each workout's row hash.
    /// $1 = athlete time zone, $2 = kg factor, $3 = metre factor (a change re-applies the workout).
    static let finishWorkoutHashes = """
        UPDATE stage_workouts SET content_sha256 = md5($1::text || '|' || $2::text || '|' || $3::text || '|' || content_sha256)
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

    /// Classifies each staged workout against core. $1 = athlete_sk.
    static let planWorkouts = """
        CREATE TEMP TABLE workout_plan ON COMMIT DROP AS
        SELECT sw.*, w.workout_sk,
               CASE WHEN w.workout_sk IS NULL THEN 'new'
                    WHEN w.source = 'hevy_api' THEN 'api'
                    WHEN w.content_sha256 = sw.content_sha256 AND w.deleted_at IS NULL THEN 'unchanged'
                    ELSE 'updated' END AS action
        FROM stage_workouts sw
        LEFT JOIN core.workouts w
               ON w.athlete_sk = $1::bigint AND w.start_local = sw.start_local AND w.title = sw.title
        """

    /// Set-level change counts for re-applied workouts, before their old sets go.
    /// $1 = kg factor, $2 = metre factor.
    static let compareSets = """
        WITH old AS (
            SELECT p.start_local, p.title, we.position AS block, s.position AS set_pos,
                   ROW(we.exercise_sk, we.superset_id, we.notes, s.set_index, s.set_type, s.weight_kg, s.reps,
                       s.distance_m, s.duration_s, s.rpe) AS content
            FROM workout_plan p
            JOIN core.workout_exercises we ON we.workout_sk = p.workout_sk
            JOIN core.sets s ON s.workout_exercise_sk = we.workout_exercise_sk
            WHERE p.action = 'updated'
        ), new AS (
            SELECT st.start_local, st.title, st.block, st.set_pos,
                   ROW(a.exercise_sk, st.superset_id, st.notes, st.set_index, st.set_type, st.weight * $1::numeric,
                       st.reps, st.distance * $2::numeric, st.duration, st.rpe::numeric(3,1)) AS content
            FROM stage_sets st
            JOIN workout_plan p ON p.start_local = st.start_local AND p.title = st.title AND p.action = 'updated'
            JOIN core.exercise_aliases a ON a.alias_normalized = st.exercise_norm
        )
        SELECT count(*) FILTER (WHERE o.block IS NULL) AS sets_new,
               count(*) FILTER (WHERE n.block IS NULL) AS sets_removed,
               count(*) FILTER (WHERE o.block IS NOT NULL AND n.block IS NOT NULL AND o.content IS DISTINCT FROM n.content) AS sets_updated,
               count(*) FILTER (WHERE o.block IS NOT NULL AND n.block IS NOT NULL AND o.content IS NOT DISTINCT FROM n.content) AS sets_unchanged
        FROM old o
        FULL JOIN new n ON o.start_local = n.start_local AND o.title = n.title AND o.block = n.block AND o.set_pos = n.set_pos
        """

    /// Counts of staged sets per action. No parameters.
    static let countSetsByAction = """
        SELECT p.action, count(*) FROM stage_sets st
        JOIN workout_plan p ON p.start_local = st.start_local AND p.title = st.title
        GROUP BY p.action
        """

    /// Re-applied workouts: new fields, old exercises (and their sets, by cascade) removed.
    /// $1 = time zone, $2 = file_id.
    static let updateWorkouts = """
        WITH upd AS (
            UPDATE core.workouts w
            SET description = p.description, description_raw = p.description_raw,
                started_at = p.start_local AT TIME ZONE $1::text, ended_at = p.end_local AT TIME ZONE $1::text,
                local_date = p.start_local::date, content_sha256 = p.content_sha256, csv_file_id = $2::bigint,
                deleted_at = NULL, updated_at = now()
            FROM workout_plan p
            WHERE p.action = 'updated' AND w.workout_sk = p.workout_sk
            RETURNING w.workout_sk
        )
        DELETE FROM core.workout_exercises we USING upd WHERE we.workout_sk = upd.workout_sk
        """

    /// The API version wins; the CSV file is kept as the workout's history link. $1 = file_id.
    static let linkAPIWorkouts = """
        UPDATE core.workouts w SET csv_file_id = $1::bigint
        FROM workout_plan p WHERE p.action = 'api' AND w.workout_sk = p.workout_sk
        """

    /// New workouts. $1 = athlete_sk, $2 = time zone, $3 = file_id.
    static let insertWorkouts = """
        WITH ins AS (
            INSERT INTO core.workouts (athlete_sk, source, title, description, description_raw, start_local,
                                       started_at, ended_at, local_date, content_sha256, csv_file_id)
            SELECT $1::bigint, 'hevy_csv', title, description, description_raw, start_local,
                   start_local AT TIME ZONE $2::text, end_local AT TIME ZONE $2::text, start_local::date,
                   content_sha256, $3::bigint
            FROM workout_plan WHERE action = 'new'
            RETURNING workout_sk, start_local, title
        )
        UPDATE workout_plan p SET workout_sk = ins.workout_sk
        FROM ins WHERE p.start_local = ins.start_local AND p.title = ins.title
        """

    /// Exercise blocks of new and re-applied workouts.
    static let insertWorkoutExercises = """
        INSERT INTO core.workout_exercises (workout_sk, position, exercise_sk, superset_id, notes, notes_raw)
        SELECT DISTINCT ON (p.workout_sk, st.block) p.workout_sk, st.block, a.exercise_sk, st.superset_id, st.notes, st.notes_raw
        FROM stage_sets st
        JOIN workout_plan p ON p.start_local = st.start_local AND p.title = st.title AND p.action IN ('new', 'updated')
        JOIN core.exercise_aliases a ON a.alias_normalized = st.exercise_norm
        ORDER BY p.workout_sk, st.block, st.line
        """

    /// Sets of new and re-applied workouts, converted to kg and metres. $1 = kg factor, $2 = metre factor.
    static let insertSets = """
        INSERT INTO core.sets (workout_exercise_sk, position, set_index, set_type, weight_kg, reps, distance_m,
                               duration_s, rpe, source_line)
        SELECT we.workout_exercise_sk, st.set_pos, st.set_index, st.set_type, st.weight * $1::numeric, st.reps,
               st.distance * $2::numeric, st.duration, st.rpe, st.line
        FROM stage_sets st
        JOIN workout_plan p ON p.start_local = st.start_local AND p.title = st.title AND p.action IN ('new', 'updated')
        JOIN core.workout_exercises we ON we.workout_sk = p.workout_sk AND we.position = st.block
        """
}

/// Bulk mode: the foreign keys into `core.sets` and `core.workout_exercises` are dropped for the
/// inserts and re-added afterwards in the same transaction, so PostgreSQL checks them with one
/// set-based query each instead of one lookup per row (its "Populating a Database" advice).
/// Until the load commits, readers of those two tables wait.
struct BulkForeignKeys {
    private struct Key { let table: String; let name: String; let definition: String }
    private let keys: [Key]

    /// Drops the foreign keys of the set tables, remembering their exact definitions.
    static func drop(on connection: Connection) throws -> BulkForeignKeys {
        let rows = try connection.query("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f' AND conrelid IN ('core.sets'::regclass, 'core.workout_exercises'::regclass)
            ORDER BY conrelid::regclass::text, conname
            """).rows
        let keys = rows.map { Key(table: $0[0]!, name: $0[1]!, definition: $0[2]!) }
        for k in keys {
            // table names come from the catalog's regclass output (already quoted where needed)
            try connection.execute("ALTER TABLE \(k.table) DROP CONSTRAINT \(Connection.quoteIdentifier(k.name))")
        }
        return BulkForeignKeys(keys: keys)
    }

    /// Re-adds every dropped key; each is validated against the whole table.
    func restore(on connection: Connection) throws {
        for k in keys {
            try connection.execute("ALTER TABLE \(k.table) ADD CONSTRAINT \(Connection.quoteIdentifier(k.name)) \(k.definition)")
        }
    }
}
