"""The two Hevy CSV exports of the load operations.

The first is bench/gen_hevy_csv.py's file (deterministic for a row count). The second is "a newer
export" of the same athlete made from it: some workouts edited (a weight changed), some with a set
removed or one added, some missing (a re-export never deletes them: they must stay as they are), and
a block of new workouts (copies of existing ones 28 years later, which keeps weekdays and leap days).
"""
import csv
import os
import subprocess
import sys

QUOTED = {0, 1, 2, 3, 4, 6, 8}   # the generator quotes the text columns, never the numbers


def format_row(fields):
    """One CSV line quoted as the generator quotes it."""
    return ",".join(('"' + f.replace('"', '""') + '"') if i in QUOTED else f for i, f in enumerate(fields))


def first_export(root, rows, path):
    """Writes the big export with the benchmark generator unless it is already there."""
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(root, "bench", "gen_hevy_csv.py"), str(rows), path], check=True)
    return path


def workouts_of(path):
    """(header, [[row fields…] per workout]) in file order; a workout is a run of rows with one title and start."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        groups, key = [], None
        for row in reader:
            k = (row[0], row[1])
            if k != key:
                groups.append([])
                key = k
            groups[-1].append(row)
    return header, groups


def shift_years(stamp, years):
    """'8 Apr 1990, 16:50' -> '8 Apr 2018, 16:50'."""
    day, month, rest = stamp.split(" ", 2)
    year, time = rest.split(",", 1)
    return f"{day} {month} {int(year) + years},{time}"


def second_export(first, path, new_share=0.45):
    """Writes the newer export derived from `first`; returns a dict of what changed (for the log)."""
    if os.path.exists(path):
        return None
    header, groups = workouts_of(first)
    out, stats = [], {"edited": 0, "set_removed": 0, "set_added": 0, "missing": 0, "new": 0}
    for i, g in enumerate(groups):
        g = [list(r) for r in g]
        if i % 23 == 5:
            stats["missing"] += 1
            continue
        if i % 10 == 3:
            g[-1][9] = f"{float(g[-1][9] or 0) + 2.5:g}"
            stats["edited"] += 1
        if i % 17 == 7 and len(g) > 1:
            g.pop()
            stats["set_removed"] += 1
        if i % 29 == 11:
            extra = list(g[-1])
            extra[7] = str(int(extra[7]) + 1)
            g.append(extra)
            stats["set_added"] += 1
        out.extend(g)
    for g in groups[: int(len(groups) * new_share)]:
        for r in g:
            r = list(r)
            r[1], r[2] = shift_years(r[1], 28), shift_years(r[2], 28)
            out.append(r)
        stats["new"] += 1
    with open(path + ".tmp", "w", encoding="utf-8", newline="") as f:
        f.write(",".join(f'"{h}"' for h in header))
        for r in out:
            f.write("\n" + format_row(r))
    os.replace(path + ".tmp", path)
    stats["rows"] = len(out)
    return stats
