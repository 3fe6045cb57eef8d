"""psql-based access to the private PostgreSQL cluster: queries, database clones and server restarts.

No driver is needed (psycopg is not installed): every query runs `psql -X -At` with the PG* variables
the Makefile exports (PGHOST, PGPORT, PGUSER), one process per call.
"""
import os
import subprocess
import time

SEP = "\x1f"   # field separator in psql output (never in our data)


class PgError(RuntimeError):
    """A psql call failed; the message carries psql's stderr."""


class Pg:
    """One PostgreSQL server reached through psql; `maintenance_db` is used for CREATE/DROP DATABASE."""

    def __init__(self, maintenance_db="postgres"):
        self.maintenance_db = maintenance_db

    def rows(self, db, sql, timeout=600):
        """Runs `sql` in database `db` and returns the rows of the last statement as lists of strings."""
        cmd = ["psql", "-X", "-q", "-At", "-F", SEP, "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise PgError(f"psql timed out after {timeout}s in {db}: {sql[:120]}") from e
        if p.returncode != 0:
            raise PgError(f"psql failed in {db}: {p.stderr.strip()[:800]}\n  sql: {sql[:300]}")
        out = p.stdout.rstrip("\n")
        return [line.split(SEP) for line in out.split("\n")] if out else []

    def scalar(self, db, sql, timeout=600):
        """The first column of the first row, or None."""
        r = self.rows(db, sql, timeout)
        return r[0][0] if r else None

    def wait_ready(self, timeout=120):
        """Waits until the server accepts connections (after a restart)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.rows(self.maintenance_db, "SELECT 1", timeout=10)
                return
            except PgError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def drop_db(self, name):
        """DROP DATABASE IF EXISTS … WITH (FORCE): also ends backends a killed client left behind."""
        self.rows(self.maintenance_db, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def clone_db(self, template, name):
        """(Re)creates `name` as a file copy of `template` (the template must have no connections)."""
        self.drop_db(name)
        self.rows(self.maintenance_db, f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')

    def create_db(self, name):
        """(Re)creates an empty database."""
        self.drop_db(name)
        self.rows(self.maintenance_db, f'CREATE DATABASE "{name}"')

    def fitdata_backends(self, db):
        """Backends of fitdata (application_name fitdata*) connected to `db`: (pid, state, query) rows."""
        return self.rows(self.maintenance_db,
                         "SELECT pid, state, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) FROM pg_stat_activity "
                         f"WHERE datname = '{db}' AND application_name LIKE 'fitdata%' AND pid <> pg_backend_pid()")

    def wait_no_fitdata_backends(self, db, timeout=120):
        """Waits until the backends of a killed fitdata are gone (a backend busy in a statement only
        notices its dead client when it next talks to it). Returns the seconds waited, or raises."""
        t0 = time.monotonic()
        while self.fitdata_backends(db):
            if time.monotonic() - t0 > timeout:
                raise PgError(f"backends of the killed fitdata still run in {db} after {timeout}s")
            time.sleep(0.1)
        return time.monotonic() - t0


class LocalCluster:
    """The private cluster of scripts/localdb.sh: restarted with `pg_ctl restart -m immediate` (a crash:
    no shutdown checkpoint, every backend killed, WAL recovery on start)."""

    def __init__(self, pg):
        self.pg = pg
        self.data_dir = pg.scalar(pg.maintenance_db, "SHOW data_directory")
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        self.pg_ctl = os.path.join(bindir or "/usr/lib/postgresql/15/bin", "pg_ctl")
        if not os.path.exists(self.pg_ctl):
            self.pg_ctl = "/usr/lib/postgresql/15/bin/pg_ctl"
        self.log = os.path.join(os.path.dirname(self.data_dir), "server.log")

    def restart_immediate(self):
        """Crash-restarts the server and waits until it accepts connections again."""
        cmd = f"'{self.pg_ctl}' -D '{self.data_dir}' -l '{self.log}' -m immediate -w -t 120 restart"
        argv = ["su", "postgres", "-s", "/bin/bash", "-c", cmd] if os.geteuid() == 0 else ["bash", "-c", cmd]
        p = subprocess.run(argv, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise PgError(f"pg_ctl restart failed: {p.stderr.strip()[:500]}")
        self.pg.wait_ready()
