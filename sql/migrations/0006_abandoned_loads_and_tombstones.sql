-- 0006: loads whose process died are marked `abandoned`; deletions of API workouts never seen are kept.

-- A load row is `running` only while the session that opened it is alive. That session holds a session-level
-- advisory lock on (meta.load_lock_class(), load_id), which PostgreSQL releases when the connection ends for any
-- reason (exit, SIGKILL, network loss). A `running` row whose lock nobody holds belongs to a dead process.
ALTER TABLE meta.loads
    DROP CONSTRAINT loads_status_check,
    ADD CONSTRAINT loads_status_check CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned'));

COMMENT ON COLUMN meta.loads.status IS
    'running while the opening session lives; succeeded or failed when it finished; abandoned when that session '
    'ended without finishing (killed, disconnected), noticed when the next load starts or by meta.mark_abandoned_loads().';

-- The advisory-lock class of load rows (two-key form, so it never meets the one-key locks of syncs and db init).
CREATE FUNCTION meta.load_lock_class() RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT 1819238756 $$;  -- 'load'

-- The second lock key of a load row, never negative (load ids wrap past 2^31; a clash only delays noticing an
-- abandoned row).
CREATE FUNCTION meta.load_lock_key(p_load_id bigint) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT (p_load_id % 2147483647)::integer
$$;

-- True when some live session holds the lock of load `p_load_id` (in this database).
CREATE FUNCTION meta.load_is_held(p_load_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid::bigint = meta.load_lock_class()
          AND l.objid::bigint = meta.load_lock_key(p_load_id))
$$;

-- Marks every `running` load whose session is gone as `abandoned`; returns how many. Safe to call any time and
-- from concurrent sessions: rows another transaction has locked (being finished, or marked by another caller)
-- are skipped, so callers never wait on each other or deadlock.
CREATE FUNCTION meta.mark_abandoned_loads() RETURNS integer LANGUAGE sql AS $$
    WITH dead AS (
        SELECT load_id FROM meta.loads
        WHERE status = 'running' AND NOT meta.load_is_held(load_id)
        FOR UPDATE SKIP LOCKED
    ), gone AS (
        UPDATE meta.loads l SET status = 'abandoned', finished_at = now(),
            summary = l.summary || jsonb_build_object('error',
                'abandoned: the process running this load ended without finishing (killed or disconnected)')
        FROM dead WHERE l.load_id = dead.load_id AND l.status = 'running'
        RETURNING 1
    )
    SELECT count(*)::integer FROM gone
$$;

-- Every new `running` row: its session takes the row's lock, then older rows of dead sessions are abandoned.
-- Loaders need no code for either (the CSV loader and the API sync share this table).
CREATE FUNCTION meta.loads_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'running' THEN
        PERFORM pg_advisory_lock(meta.load_lock_class(), meta.load_lock_key(NEW.load_id));
    END IF;
    PERFORM meta.mark_abandoned_loads();
    RETURN NULL;
END
$$;
CREATE TRIGGER loads_claim AFTER INSERT ON meta.loads FOR EACH ROW EXECUTE FUNCTION meta.loads_claim();

-- A finished row's lock is released by the session that holds it (so long-lived connections do not accumulate locks).
CREATE FUNCTION meta.loads_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_locks l
               WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.pid = pg_backend_pid()
                 AND l.classid::bigint = meta.load_lock_class()
                 AND l.objid::bigint = meta.load_lock_key(NEW.load_id)) THEN
        PERFORM pg_advisory_unlock(meta.load_lock_class(), meta.load_lock_key(NEW.load_id));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER loads_release AFTER UPDATE OF status ON meta.loads FOR EACH ROW
    WHEN (OLD.status = 'running' AND NEW.status <> 'running') EXECUTE FUNCTION meta.loads_release();

-- Deletions from the Hevy events feed of workouts this database never held. The feed is newest first, so the
-- deletion of a workout created and deleted between two syncs arrives before its `updated` event; the tombstone
-- makes that older version (and any version not newer than the deletion) stale instead of bringing it back.
CREATE TABLE core.hevy_workout_tombstones (
    athlete_sk       bigint NOT NULL REFERENCES core.athletes (athlete_sk),
    hevy_workout_id  text NOT NULL,
    deleted_at       timestamptz NOT NULL,
    load_id          bigint REFERENCES meta.loads (load_id) ON DELETE SET NULL,
    PRIMARY KEY (hevy_workout_id)
);
COMMENT ON TABLE core.hevy_workout_tombstones IS
    'Hevy workouts deleted before this database saw them; an API version not newer than deleted_at is ignored.';
