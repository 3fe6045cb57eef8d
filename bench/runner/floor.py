#!/usr/bin/env python3
"""Writes the "floor" for a compiled project: the same compiled SQL, executed serially by `psql -f`.

usage: floor.py PROJECT_DIR [BUILD_LOG] > floor.sql   (after `fitdata compile --project-dir PROJECT_DIR`)

Reads target/manifest.json and target/compiled/**: every view becomes CREATE VIEW, every table
CREATE TABLE AS, every test SELECT count(*) FROM (<test sql>) — one statement per node, no temporary names,
no swaps, no transactions: the least work that produces the same relations.

Order: with BUILD_LOG (the console output of a `fitdata build --threads 1` of the same project), the nodes run
in the order that build ran them — a model's tests right after it, as `build` must (a failed test skips
everything downstream). Without it, in manifest order (dependency order, most tests after all models). The order
matters on a server with autovacuum: a test run long after its model finds the model's tables analyzed and
gets a better plan.
"""
import json
import os
import re
import sys

root = sys.argv[1]
m = json.load(open(os.path.join(root, "target", "manifest.json")))
nodes = [(uid, node) for uid, node in m["nodes"].items() if node.get("compiled_path")]
if len(sys.argv) > 2:
    # "  12 of 1000 PASS  test not_null_int_events_0001_id ........ [PASS in 0.01s]": the node's name is the
    # last word before the dots; model and test names are unique within a project.
    line = re.compile(r"^\s*\d+ of \d+ \S+\s+.*?(\S+) \.{3,} \[")
    rank = {}
    for text in open(sys.argv[2]):
        hit = line.match(text)
        if hit and hit.group(1) not in rank:
            rank[hit.group(1)] = len(rank)
    missing = [node["name"] for _, node in nodes if node["name"] not in rank]
    if missing:
        sys.exit(f"floor.py: {len(missing)} nodes missing from the build log, e.g. {missing[:3]}")
    nodes.sort(key=lambda n: rank[n[1]["name"]])
schemas = []
out = []
for uid, node in nodes:
    sql = open(os.path.join(root, node["compiled_path"])).read().rstrip().rstrip(";")
    if node["resource_type"] == "model":
        schema = node["schema"]
        if schema not in schemas:
            schemas.append(schema)
        rel = node["relation_name"]
        if node["config"]["materialized"] == "view":
            out.append(f"CREATE VIEW {rel} AS\n{sql};")
        else:
            out.append(f"CREATE TABLE {rel} AS (\n{sql}\n);")
    elif node["resource_type"] == "test":
        out.append(f"SELECT count(*) FROM (\n{sql}\n) t;")
print("\\set ON_ERROR_STOP 1")
for s in schemas:
    print(f'CREATE SCHEMA IF NOT EXISTS "{s}";')
print("\n".join(out))
