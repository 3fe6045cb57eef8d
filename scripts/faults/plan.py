"""Where to inject faults, from a profile of the operation's clean run.

Kill points are spread over the run three ways: time offsets across the clean run's duration (2 % to
95 %), COPY progress (fractions of the most rows the clean run's COPY reached, read from
pg_stat_progress_copy), and statements (distinct statements the clean run was seen executing,
e.g. a model's CREATE TABLE … __fitdata_tmp, the ALTER TABLE re-adding foreign keys), fired when a
fitdata backend starts executing it.
"""
from dataclasses import dataclass


@dataclass
class Profile:
    """What the clean run was seen doing."""
    copy_max: int
    phases: list   # distinct statement heads in the order first seen


def profile(samples):
    """The profile of a clean run from its samples (t, copy rows, statements)."""
    copy_max = max((c for _, c, _ in samples), default=0)
    phases = []
    for _, _, queries in samples:
        for q in queries:
            if q and q not in phases and not q.upper().startswith(("BEGIN", "COMMIT", "SELECT 1", "SHOW")):
                phases.append(q)
    return Profile(copy_max, phases)


def spread(items, n):
    """n items picked evenly from `items` (all when there are fewer)."""
    if n >= len(items):
        return list(items)
    return [items[int((i + 0.5) * len(items) / n)] for i in range(n)]


def kill_plan(seconds, prof, kills, restarts):
    """[(fault, point)]: `kills` SIGKILLs and `restarts` server restarts, kill points interleaved."""
    n_copy = min(kills // 5, 5) if prof.copy_max >= 1000 else 0
    n_query = min(len(prof.phases), kills // 5)
    if kills <= 3:   # quick: one triggered point, the rest by time
        n_copy, n_query = (1, 0) if prof.copy_max >= 1000 else (0, min(1, len(prof.phases)))
    n_time = max(kills - n_copy - n_query, 0)
    points = [("time", round(seconds * (0.02 + 0.93 * (i + 0.5) / n_time), 2)) for i in range(n_time)]
    points += [("copy", int(prof.copy_max * (j + 1) / (n_copy + 1))) for j in range(n_copy)]
    points += [("query", q) for q in spread(prof.phases, n_query)]
    plan = [("kill", p) for p in points]
    for k in range(restarts):
        if k == restarts - 1 and restarts > 1 and prof.copy_max >= 1000:
            point = ("copy", prof.copy_max // 2)
        else:
            point = ("time", round(seconds * (k + 1) / (restarts + 1 + (restarts == 1)), 2))
        plan.insert(min(len(plan), (k + 1) * max(1, len(plan) // (restarts + 1))), ("restart", point))
    return plan
