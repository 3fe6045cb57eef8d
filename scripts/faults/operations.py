"""The four operations under test and the databases they start from.

Each operation runs from a template database (`before_db`), cloned afresh for every fault:
  load    fitdata load hevy-csv <first export>    from an initialized, empty database (bulk mode: keys,
          indexes and foreign keys dropped and rebuilt inside the load's transaction)
  update  fitdata load hevy-csv <newer export>    from the clean result of `load` (two-pass load;
          edited, shortened, lengthened and new workouts; over 100k new rows, so the foreign keys
          of core.sets and its parents are dropped and re-added)
  sync    fitdata sync hevy --full                from an initialized database, against the fake Hevy
          server, every workout page answering slowly
  build   fitdata build --project-dir dbt_style_models   from the `update` result with the marts of
          the `load` result already built (so each mart has an old version to be swapped out)
"""
import os
from dataclasses import dataclass, field

import exports


@dataclass
class Operation:
    name: str
    before_db: str
    argv: list
    scope: str               # what must be atomic: operation | workout | relation (see consistency.py)
    env: dict = field(default_factory=dict)


class Fixtures:
    """Builds the input files and the template databases, running fitdata cleanly where needed."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.fitdata = ctx.fitdata

    def csv_files(self):
        d = self.ctx.workdir
        v1 = exports.first_export(self.ctx.root, self.ctx.rows, os.path.join(d, f"hevy_{self.ctx.rows}_v1.csv"))
        v2 = os.path.join(d, f"hevy_{self.ctx.rows}_v2.csv")
        stats = exports.second_export(v1, v2)
        if stats:
            self.ctx.say(f"newer export: {stats}")
        return v1, v2

    def load_argv(self, path):
        return [self.fitdata, "load", "hevy-csv", path, "--athlete", "me", "--timezone", "Europe/Lisbon",
                "--max-rejects", "0"]

    def build_argv(self):
        return [self.fitdata, "build", "--project-dir", os.path.join(self.ctx.root, "dbt_style_models"),
                "--target-dir", os.path.join(self.ctx.workdir, "dbt-target")]

    def sync_argv(self):
        return [self.fitdata, "sync", "hevy", "--athlete", "api", "--timezone", "Europe/Lisbon", "--delay-ms", "0"]

    def base_db(self):
        """faults_base: an empty database after `fitdata db init`."""
        ctx = self.ctx
        ctx.pg.create_db("faults_base")
        ctx.run_clean([self.fitdata, "db", "init"], "faults_base")
        return "faults_base"

    def operations(self, wanted, fake_hevy_env):
        """The operations in dependency order; each one's before_db exists when it is returned."""
        ctx = self.ctx
        base = self.base_db()
        v1, v2 = self.csv_files()
        ops = {}
        ops["load"] = Operation("load", base, self.load_argv(v1), "operation")
        ops["update"] = Operation("update", "faults_load_after", self.load_argv(v2), "operation")
        ops["build"] = Operation("build", "faults_build_before", self.build_argv(), "relation")
        ops["sync"] = Operation("sync", base, self.sync_argv(), "workout", fake_hevy_env)
        needs = {"update": ["load"], "build": ["load"]}
        order = [n for n in ("load", "update", "sync", "build") if n in wanted or
                 any(n in needs.get(w, []) for w in wanted)]
        for name in order:
            if name == "update" and not ctx.pg_exists("faults_load_after"):
                raise RuntimeError("the update operation needs the load operation's clean result")
            if name == "build":
                # marts of the first export, then the newer export loaded into core
                ctx.pg.clone_db("faults_load_after", "faults_build_before")
                ctx.run_clean(self.build_argv(), "faults_build_before")
                ctx.run_clean(self.load_argv(v2), "faults_build_before")
            yield ops[name], name in wanted
