"""Renders every case of the Jinja corpus with Python's Jinja2 (the reference of the differential test).

Usage: jinja2_render.py CORPUS_FILE... ; prints one JSON object: {case: {"ok": output} | {"error": message}}.
A case starts with a line `### name`; an optional next line `#ctx {json}` is its context; the rest, up to the
next `### ` line, is the template (without the line break before the next case).
The environment is dbt's: Jinja2 defaults plus the `do` and `loopcontrols` extensions, and dbt's
`modules.datetime` (Python's datetime module) and `run_started_at` with the clock fixed at FIXED_NOW in UTC
(DifferentialTests gives the engine the same clock).
"""
import datetime
import json
import os
import sys
import time
import types

import jinja2

os.environ["TZ"] = "UTC"
time.tzset()
FIXED_NOW = datetime.datetime(2024, 2, 29, 13, 45, 30, 123456, tzinfo=datetime.timezone.utc)


class _Clocked:
    """A class of the datetime module with its clock-reading class methods fixed at FIXED_NOW."""

    def __init__(self, real, **fixed):
        self._real = real
        self._fixed = fixed

    def __call__(self, *args, **kwargs):
        return self._real(*args, **kwargs)

    def __getattr__(self, name):
        return self._fixed[name] if name in self._fixed else getattr(self._real, name)


def _now(tz=None):
    return FIXED_NOW.astimezone(tz) if tz is not None else FIXED_NOW.replace(tzinfo=None)


DATETIME = {
    "datetime": _Clocked(datetime.datetime, now=_now, today=lambda: _now(), utcnow=lambda: _now()),
    "date": _Clocked(datetime.date, today=lambda: FIXED_NOW.date()),
    "timedelta": datetime.timedelta,
    "timezone": datetime.timezone,
    "MINYEAR": datetime.MINYEAR,
    "MAXYEAR": datetime.MAXYEAR,
}


def cases(path):
    name, ctx, lines = None, {}, []
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    for line in text.split("\n"):
        if line.startswith("### "):
            if name is not None:
                yield name, ctx, "\n".join(lines)
            name, ctx, lines = line[4:].strip(), {}, []
        elif name is not None and not lines and line.startswith("#ctx ") and ctx == {}:
            ctx = json.loads(line[5:])
        elif name is not None:
            lines.append(line)
    if name is not None:
        yield name, ctx, "\n".join(lines)


def main():
    env = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    env.globals["modules"] = {"datetime": types.SimpleNamespace(**DATETIME)}
    env.globals["run_started_at"] = FIXED_NOW
    results = {}
    for path in sys.argv[1:]:
        for name, ctx, source in cases(path):
            try:
                results[name] = {"ok": env.from_string(source).render(**ctx)}
            except Exception as e:  # noqa: BLE001 - any failure counts as "an error"
                results[name] = {"error": f"{type(e).__name__}: {e}"}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
