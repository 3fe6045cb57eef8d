"""Runs one fitdata command, watching the database, and injects a fault when a kill point is reached.

A kill point is ("time", seconds after start) | ("copy", rows COPY has taken) | ("query", text the
current statement of a fitdata backend starts with). The fault is "kill" (SIGKILL to fitdata) or
"restart" (`pg_ctl restart -m immediate` while fitdata runs).
"""
import os
import re
import signal
import subprocess
import time

from pg import SEP


def norm_query(q):
    """A statement's first 60 characters, whitespace collapsed: its identity as a kill point."""
    return re.sub(r"\s+", " ", q or "").strip()[:60]


def sample(pg, db):
    """(max tuples COPY has processed, [active fitdata statements]) right now in `db`."""
    rows = pg.rows(pg.maintenance_db, f"""
        SELECT 'c', coalesce(max(tuples_processed), 0)::text FROM pg_stat_progress_copy WHERE datname = '{db}'
        UNION ALL
        SELECT 'q', regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_activity
        WHERE datname = '{db}' AND application_name LIKE 'fitdata%' AND state = 'active' AND pid <> pg_backend_pid()""",
                   timeout=30)
    copy = 0
    queries = []
    for kind, val in rows:
        if kind == "c":
            copy = int(val)
        else:
            queries.append(norm_query(val))
    return copy, queries


class Run:
    """One fitdata process: `outcome` is 'completed' (exited before the fault), 'killed' or 'restarted'."""

    def __init__(self, argv, env, log_path):
        self.log = open(log_path, "ab")
        self.log.write(("\n$ " + " ".join(argv) + "\n").encode())
        self.log.flush()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(argv, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.samples = []      # (t, copy, [queries]) seen while watching
        self.fault_at = None   # seconds after start when the fault was injected
        self.phase = ""        # what the database was doing then

    def elapsed(self):
        """Seconds since start."""
        return time.monotonic() - self.t0

    def wait(self, timeout):
        """Exit code, or None after `timeout` seconds (the process is then killed)."""
        try:
            rc = self.proc.wait(timeout=max(0.0, timeout))
        except subprocess.TimeoutExpired:
            self.kill()
            self.proc.wait()
            rc = None
        self.log.close()
        return rc

    def kill(self):
        """SIGKILL to fitdata (no-op when it has exited)."""
        try:
            os.kill(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def watch(self, pg, db, point=None, interval=0.05):
        """Samples the database until the kill point is reached (returns True) or fitdata exits (False).
        Without a point it only samples (the clean run's profile)."""
        kind, arg = point if point else (None, None)
        while self.proc.poll() is None:
            t = self.elapsed()
            if kind == "time":   # the statement is read shortly before, so the kill itself is on time
                if arg - t > 0.4:
                    time.sleep(min(arg - t - 0.4, 0.2))
                    continue
                if not self.phase:
                    try:
                        _, queries = sample(pg, db)
                    except Exception:
                        queries = []
                    self.phase = "~" + (queries[0] if queries else "(no active statement)")
                    continue
                if t < arg:
                    time.sleep(arg - t)
                return self.proc.poll() is None
            try:
                copy, queries = sample(pg, db)
            except Exception:
                copy, queries = 0, []
            self.samples.append((t, copy, queries))
            if kind == "copy" and copy >= arg:
                self.phase = f"COPY at {copy} rows"
                return self.proc.poll() is None
            if kind == "query" and any(q.startswith(arg) for q in queries):
                self.phase = arg
                return self.proc.poll() is None
            time.sleep(interval)
        return False

    def inject(self, fault, cluster):
        """SIGKILLs fitdata or crash-restarts the server now."""
        self.fault_at = self.elapsed()
        if fault == "kill":
            self.kill()
        else:
            cluster.restart_immediate()
