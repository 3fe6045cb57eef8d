#!/usr/bin/env python3
"""Sums the server-side statement durations of one benchmark run, by kind (view / table / test / other).

usage: serverlog.py LOGFILE START_OFFSET LABEL WALL_SECONDS

Reads the PostgreSQL server log from byte START_OFFSET (where it ended before the run) and parses the
`duration: X ms  statement: …` lines that `log_min_duration_statement = 0` writes (set on the benchmark
database only). Only the server processes whose statements name a `bench_` schema count (other sessions of a
shared server may log meanwhile); extended-protocol steps (`parse` / `bind` / `execute <unnamed>`) are summed under the kind of
their statement and counted as steps. Prints one line: totals per kind, the sum, and WALL_SECONDS minus the sum
(time outside the server: process start, parse/compile, artifacts, client/network round trips).
"""
import re
import sys

LINE = re.compile(r"\[(\d+)\] LOG:  duration: ([0-9.]+) ms  (statement|parse [^:]*|bind [^:]*|execute [^:]*): ?(.*)")
BENCH = re.compile(r'"?bench_(staging|intermediate|marts)"?\.')


def kind(text):
    t = text.lstrip().lower()
    if t.startswith("create view") or t.startswith("create or replace view"):
        return "views"
    if t.startswith("create table") or t.startswith("drop table"):
        return "tables"
    if t.startswith("select count(*)"):
        return "tests"
    return "other"


def main():
    path, start, label, wall = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    with open(path, "rb") as f:
        f.seek(start)
        chunk = f.read().decode("utf-8", "replace")
    totals = {"views": 0.0, "tables": 0.0, "tests": 0.0, "other": 0.0}
    counts = {k: 0 for k in totals}
    steps = 0
    lines = chunk.splitlines()
    entries = []   # (pid, ms, step, first line, whether the statement names a bench schema)
    for i, line in enumerate(lines):
        m = LINE.search(line)
        if not m:
            continue
        # The statement's text runs on until the next log line (continuation lines start with a tab).
        text = [m.group(4)]
        for follow in lines[i + 1:i + 40]:
            if not follow.startswith("\t"):
                break
            text.append(follow)
        entries.append((m.group(1), float(m.group(2)), m.group(3), m.group(4), bool(BENCH.search("\n".join(text)))))
    ours = {pid for pid, _, _, _, bench in entries if bench}
    for pid, ms, step, text, _ in entries:
        if pid not in ours:
            continue
        k = kind(text)
        totals[k] += ms
        if step == "statement" or step.startswith("execute"):
            counts[k] += 1
        if step != "statement":
            steps += 1
    server = sum(totals.values()) / 1000
    parts = ", ".join(f"{k} {totals[k] / 1000:.2f}s ({counts[k]})" for k in totals)
    print(f"{label}: wall {wall:.2f}s, server {server:.2f}s [{parts}; extended-protocol steps {steps}], "
          f"outside the server {wall - server:.2f}s")


if __name__ == "__main__":
    main()
