"""Renders every case of the Jinja corpus with Python's Jinja2 (the reference of the differential test).

Usage: jinja2_render.py CORPUS_FILE... ; prints one JSON object: {case: {"ok": output} | {"error": message}}.
A case starts with a line `### name`; an optional next line `#ctx {json}` is its context; the rest, up to the
next `### ` line, is the template (without the line break before the next case).
The environment is dbt's: Jinja2 defaults plus the `do` and `loopcontrols` extensions.
"""
import json
import sys

import jinja2


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
