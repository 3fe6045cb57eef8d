#!/usr/bin/env python3
"""Writes the "floor" for a compiled project: the same compiled SQL, executed serially by `psql -f`.

usage: floor.py PROJECT_DIR > floor.sql   (after `fitdata compile --project-dir PROJECT_DIR`)

Reads target/manifest.json (nodes are in dependency order) and target/compiled/**: every view becomes
CREATE VIEW, every table CREATE TABLE AS, every test SELECT count(*) FROM (<test sql>) — one statement per
node, no temporary names, no swaps, no transactions: the least work that produces the same relations.
"""
import json
import os
import sys

root = sys.argv[1]
m = json.load(open(os.path.join(root, "target", "manifest.json")))
schemas = []
out = []
for uid, node in m["nodes"].items():
    path = node.get("compiled_path")
    if not path:
        continue
    sql = open(os.path.join(root, path)).read().rstrip().rstrip(";")
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
