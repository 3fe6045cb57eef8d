#!/usr/bin/env python3
"""make test-faults: SIGKILLs and server crash-restarts during loads, an update load, a sync and a build.

For each operation: two clean runs (their results must be identical: this validates what the
checksums leave out), a self-test (selftest.py: each check must fail on a deliberately broken copy),
a profile of the clean run (duration, COPY progress, statements seen), then
faults at kill points spread over the run. After each fault the database must be consistent
(consistency.py); after a rerun of the same command it must equal the clean run exactly
(fingerprint.py). Prints one line per fault and a summary table; exits 1 on any failure.

Environment:
  FAULTS_QUICK=1     the time-boxed CI form (3 kills + 1 restart per operation, a smaller export,
                     no second clean run)
  FAULTS_REPRO=0|1   run the operation cleanly twice and require identical fingerprints (full: 1)
  FAULTS_OPS         operations to fault, comma-separated (default load,update,sync,build)
  FAULTS_KILLS / FAULTS_RESTARTS / FAULTS_ROWS / FAULTS_SYNC_WORKOUTS   override the mode's figures
  FAULTS_SEED        seed of the extra kill points (default 10)
  FITDATA            the binary (default .build/debug/fitdata)
Needs the private cluster (scripts/localdb.sh; PGHOST/PGPORT as the Makefile exports them): the
restarts use pg_ctl on its data directory. Work files and logs: target/faults/.
"""
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from consistency import State, after_fault_checks, state_label, check_foreign_keys, check_no_running, running_loads  # noqa: E402
from fake_hevy import FakeHevy  # noqa: E402
from fingerprint import diff, fingerprint, rows_compared  # noqa: E402
from operations import Fixtures  # noqa: E402
from pg import LocalCluster, Pg  # noqa: E402
from plan import kill_plan, profile  # noqa: E402
from process import Run  # noqa: E402
from selftest import run_selftest  # noqa: E402

WORK_DB = "faults_work"


class Context:
    """The run's settings (from the environment), paths and database handles."""

    def __init__(self):
        self.root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self.quick = os.environ.get("FAULTS_QUICK", "") not in ("", "0")
        env = os.environ.get
        self.kills = int(env("FAULTS_KILLS", "3" if self.quick else "22"))
        self.restarts = int(env("FAULTS_RESTARTS", "1" if self.quick else "3"))
        self.rows = int(env("FAULTS_ROWS", "30000" if self.quick else "100000"))
        self.sync_workouts = int(env("FAULTS_SYNC_WORKOUTS", "40" if self.quick else "200"))
        self.repro = env("FAULTS_REPRO", "0" if self.quick else "1") != "0"
        self.ops = [o.strip() for o in env("FAULTS_OPS", "load,update,sync,build").split(",") if o.strip()]
        self.rng = random.Random(int(env("FAULTS_SEED", "10")))
        self.fitdata = os.path.abspath(env("FITDATA", os.path.join(self.root, ".build", "debug", "fitdata")))
        self.workdir = os.path.join(self.root, "target", "faults")
        os.makedirs(self.workdir, exist_ok=True)
        self.log_path = os.path.join(self.workdir, "fitdata.log")
        self.pg = Pg()
        self.cluster = None

    def say(self, msg):
        """One progress line on stdout."""
        print(f"faults: {msg}", flush=True)

    def env_for(self, db, extra=None):
        """fitdata's environment: PGDATABASE = `db`, plus `extra`."""
        e = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        e["PGDATABASE"] = db
        e.update(extra or {})
        return e

    def pg_exists(self, db):
        """Whether database `db` exists."""
        return self.pg.scalar(self.pg.maintenance_db, f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"

    def run_clean(self, argv, db, extra_env=None, watch=False, timeout=1800):
        """Runs a command to completion; raises when it fails. Returns (seconds, samples)."""
        run = Run(argv, self.env_for(db, extra_env), self.log_path)
        if watch:
            run.watch(self.pg, db)
        rc = run.wait(timeout - run.elapsed())
        if rc != 0:
            raise RuntimeError(f"clean run failed (exit {rc}): {' '.join(argv)} — see {self.log_path}")
        return run.elapsed(), run.samples


class Tally:
    """Per-operation figures for the summary table."""

    def __init__(self, name):
        self.name, self.kills, self.restarts, self.missed = name, 0, 0, 0
        self.passed = self.checks = self.rows = self.mismatches = 0
        self.failures = []
        self.points = set()
        self.seconds = 0.0


def fault_once(ctx, op, fault, point, clean_seconds, before, after, tally):
    """One fault: clone, run, inject at `point`, check, rerun, compare. Returns None, or the run's
    duration when it ended before the point (the point is then not counted)."""
    pg = ctx.pg
    pg.clone_db(op.before_db, WORK_DB)
    run = Run(op.argv, ctx.env_for(WORK_DB, op.env), ctx.log_path)
    if not run.watch(pg, WORK_DB, point):
        run.wait(clean_seconds * 5 + 60)
        tally.missed += 1
        ctx.say(f"  {op.name:6} {fault:7} {point[0]}={fmt(point[1])}: fitdata finished first, in "
                f"{run.elapsed():.2f}s (not counted)")
        return run.elapsed()
    run.inject(fault, ctx.cluster)
    rc = run.wait(10 if fault == "kill" else clean_seconds * 3 + 60)
    checks = []
    if fault == "restart":
        tally.restarts += 1
        checks.append(("fitdata stops after the server is lost", rc is not None and rc != 0,
                       f"exit {rc}" if rc is not None else "still running after the timeout (killed)"))
    else:
        tally.kills += 1
    tally.points.add((fault, round(run.fault_at, 1)))
    try:
        pg.wait_no_fitdata_backends(WORK_DB)
    except Exception as e:
        checks.append(("the killed client's backends end", False, str(e)))
    found, now = after_fault_checks(pg, WORK_DB, op.scope, None, before, after)
    checks += found
    stuck = running_loads(pg, WORK_DB)
    state = state_label(now, before, after)
    rerun = Run(op.argv, ctx.env_for(WORK_DB, op.env), ctx.log_path)
    rrc = rerun.wait(max(120.0, clean_seconds * 5))
    checks.append(("rerun exits 0", rrc == 0, f"exit {rrc}"))
    fp = fingerprint(pg, WORK_DB)
    d = diff(after.fp, fp)
    tally.rows += rows_compared(fp)
    tally.mismatches += len(d)
    checks.append(("rerun equals a clean run", not d, "; ".join(d[:4])))
    checks.append(check_no_running(pg, WORK_DB))
    checks.append(check_foreign_keys(pg, WORK_DB))
    bad = [(n, det) for n, ok, det in checks if not ok]
    tally.checks += len(checks)
    tally.passed += len(checks) - len(bad)
    where = f"{point[0]}={fmt(point[1])}"
    ctx.say(f"  {op.name:6} {fault:7} {where:28.28} at {run.fault_at:6.2f}s [{run.phase[:40]:40}] "
            f"state={state[:12]:12} running={len(stuck)} checks {len(checks) - len(bad)}/{len(checks)}")
    for n, det in bad:
        msg = f"{op.name} {fault} at {run.fault_at:.2f}s ({where}, {run.phase[:50]}): {n}: {det}"
        tally.failures.append(msg)
        ctx.say(f"    FAIL {n}: {det}")
    return None


def fmt(v):
    """A kill point's argument for the log."""
    return f"{v:.2f}s" if isinstance(v, float) else str(v)


def fault_operation(ctx, op, tally):
    """Clean runs, self-test, profile, then every planned fault of one operation."""
    pg = ctx.pg
    t_start = time.monotonic()
    before = State(pg, op.before_db, None)
    after_db = f"faults_{op.name}_after"
    pg.clone_db(op.before_db, after_db)
    seconds, samples = ctx.run_clean(op.argv, after_db, op.env, watch=True)
    after = State(pg, after_db, None)
    if ctx.repro:   # a second clean run must give the same fingerprint: what it leaves out is only noise
        pg.clone_db(op.before_db, WORK_DB)
        seconds = min(seconds, ctx.run_clean(op.argv, WORK_DB, op.env)[0])   # plan on the faster run
        again = diff(after.fp, fingerprint(pg, WORK_DB))
        tally.checks += 1
        if again:
            tally.failures.append(f"{op.name}: two clean runs differ: {'; '.join(again[:4])}")
            ctx.say(f"{op.name}: FAIL two clean runs differ: {again[:4]}")
            return
        tally.passed += 1
    if op.name == "load" or op.scope == "relation":   # the checks must be able to fail (selftest.py)
        n, bad = run_selftest(ctx, op, before, after, after_db)
        tally.checks += n
        tally.passed += n - len(bad)
        tally.failures += bad
        ctx.say(f"{op.name}: self-test: {n - len(bad)} of {n} deliberate corruptions caught" +
                "".join(f"\n    FAIL {b}" for b in bad))
    prof = profile(samples)
    ctx.say(f"{op.name}: clean run {seconds:.1f}s, {rows_compared(after.fp)} rows in the compared relations, "
            f"COPY max {prof.copy_max}, {len(prof.phases)} statements seen"
            + ("; two clean runs identical" if ctx.repro else ""))
    plan = kill_plan(seconds, prof, ctx.kills, ctx.restarts)
    queue = list(plan)
    while queue:
        fault, point = queue.pop(0)
        try:
            ended = fault_once(ctx, op, fault, point, seconds, before, after, tally)
        except Exception as e:   # the harness could not finish this fault: a failure, the others go on
            tally.failures.append(f"{op.name} {fault} {point}: {type(e).__name__}: {e}")
            ctx.say(f"  {op.name:6} {fault:7} {point}: ERROR {e}")
            continue
        if ended is not None:
            # runs are faster than the clean one was (the machine is shared): rescale the time points
            # still queued to the run just seen, and replace the missed point by a random one within it
            if ended < seconds:
                queue = [(f, ("time", round(p[1] * ended / seconds, 2)) if p[0] == "time" else p) for f, p in queue]
                seconds = ended
            queue.append((fault, ("time", round(seconds * ctx.rng.uniform(0.05, 0.9), 2))))
        if tally.missed > ctx.kills + ctx.restarts:
            break
    if tally.kills < ctx.kills or tally.restarts < ctx.restarts:
        tally.failures.append(f"{op.name}: only {tally.kills} kills and {tally.restarts} restarts landed "
                              f"(wanted {ctx.kills} and {ctx.restarts})")
    tally.seconds = time.monotonic() - t_start


def summary(ctx, tallies, seconds):
    """Prints the table and the failures; True when there were none."""
    print()
    print(f"{'operation':10} {'kills':>5} {'distinct':>8} {'restarts':>8} {'missed':>6} {'checks passed':>15} "
          f"{'rows compared':>14} {'mismatches':>10} {'seconds':>8}")
    for t in tallies:
        print(f"{t.name:10} {t.kills:5} {len(t.points):8} {t.restarts:8} {t.missed:6} {f'{t.passed}/{t.checks}':>15} "
              f"{t.rows:14} {t.mismatches:10} {t.seconds:8.0f}")
    print(f"total time {seconds:.0f}s ({'quick' if ctx.quick else 'full'} mode)")
    failures = [f for t in tallies for f in t.failures]
    if failures:
        print(f"\n{len(failures)} FAILURES:")
        for f in failures:
            print(f"  - {f}")
    return not failures


def main():
    """Runs the selected operations; exit 0 all passed, 1 a failure, 2 bad configuration."""
    ctx = Context()
    t0 = time.monotonic()
    if os.environ.get("DATABASE_URL"):
        ctx.say("needs the private cluster (it restarts the server): unset DATABASE_URL and PGHOST")
        return 2
    if not os.access(ctx.fitdata, os.X_OK):
        ctx.say(f"fitdata binary not found at {ctx.fitdata} (run: swift build)")
        return 2
    unknown = set(ctx.ops) - {"load", "update", "sync", "build"}
    if unknown:
        ctx.say(f"unknown operations in FAULTS_OPS: {sorted(unknown)}")
        return 2
    ctx.cluster = LocalCluster(ctx.pg)
    ctx.say(f"{'quick' if ctx.quick else 'full'} mode: {ctx.kills} kills + {ctx.restarts} restarts per operation, "
            f"{ctx.rows} CSV rows, {ctx.sync_workouts} API workouts; operations {','.join(ctx.ops)}; "
            f"logs in {ctx.log_path}")
    fake = FakeHevy(ctx.root, ctx.sync_workouts, 0.1) if "sync" in ctx.ops else None
    tallies = []
    try:
        for op, wanted in Fixtures(ctx).operations(ctx.ops, fake.env() if fake else {}):
            if wanted:
                tally = Tally(op.name)
                tallies.append(tally)
                try:
                    fault_operation(ctx, op, tally)
                except Exception as e:   # a harness or setup error fails the operation, the rest go on
                    tally.failures.append(f"{op.name}: {type(e).__name__}: {e}")
                    ctx.say(f"{op.name}: ERROR {e}")
            else:
                ctx.pg.clone_db(op.before_db, f"faults_{op.name}_after")
                ctx.run_clean(op.argv, f"faults_{op.name}_after", op.env)
    except Exception as e:
        ctx.say(f"setup failed: {type(e).__name__}: {e}")
        summary(ctx, tallies, time.monotonic() - t0)
        return 1
    finally:
        if fake:
            fake.stop()
    ok = summary(ctx, tallies, time.monotonic() - t0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
