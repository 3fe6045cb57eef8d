#!/usr/bin/env python3
"""Generates a layered dbt-style project of N models over a 20k-row source, for benchmarking the model runner.

usage: generate.py N OUT_DIR

Layers: ~20% staging views over the source, ~50% intermediate models (2/3 tables, 1/3 views) each joining
one or two models of earlier layers, ~30% mart tables aggregating one intermediate model.
Every model has one data test (unique / not_null). The project is valid for dbt-core as well.
"""
import os
import random
import sys


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(42)
    for d in ("models/staging", "models/intermediate", "models/marts"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    with open(os.path.join(out, "dbt_project.yml"), "w") as f:
        f.write(f"""name: bench{n}
version: '1.0'
config-version: 2
profile: bench
model-paths: ["models"]
models:
  bench{n}:
    staging:
      +schema: bench_staging
      +materialized: view
    intermediate:
      +schema: bench_intermediate
    marts:
      +schema: bench_marts
      +materialized: table
""")
    os.makedirs(os.path.join(out, "macros"), exist_ok=True)
    with open(os.path.join(out, "macros", "generate_schema_name.sql"), "w") as f:
        f.write("{% macro generate_schema_name(custom_schema_name, node) -%}\n"
                "{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}\n"
                "{%- endmacro %}\n")
    n_stg = max(1, n * 2 // 10)
    n_mart = max(1, n * 3 // 10)
    n_int = max(1, n - n_stg - n_mart)
    props = ["version: 2", "sources:", "  - name: raw", "    schema: bench_raw", "    tables:", "      - name: events", "models:"]

    def test(name, column, kind):
        props.extend([f"  - name: {name}", "    columns:", f"      - name: {column}", f"        data_tests: [{kind}]"])

    staging = []
    for i in range(n_stg):
        name = f"stg_events_{i:04d}"
        staging.append(name)
        with open(os.path.join(out, "models/staging", name + ".sql"), "w") as f:
            f.write("select id, athlete, kind, reps, weight_kg, day\n"
                    "from {{ source('raw', 'events') }}\n"
                    f"where id % {n_stg + 1} <> {i % (n_stg + 1)}\n")
        test(name, "id", "unique")
    earlier = list(staging)
    intermediate = []
    for i in range(n_int):
        name = f"int_events_{i:04d}"
        mat = "view" if i % 3 == 2 else "table"
        a = rng.choice(earlier[-20:])
        b = rng.choice(earlier[-40:])
        with open(os.path.join(out, "models/intermediate", name + ".sql"), "w") as f:
            f.write(f"{{{{ config(materialized='{mat}') }}}}\n"
                    "select a.id, a.athlete, a.kind, a.reps + coalesce(b.reps, 0) as reps, a.weight_kg, a.day\n"
                    f"from {{{{ ref('{a}') }}}} a\n"
                    f"left join {{{{ ref('{b}') }}}} b on b.id = a.id\n")
        test(name, "id", "not_null")
        intermediate.append(name)
        earlier.append(name)
    for i in range(n_mart):
        name = f"mart_weekly_{i:04d}"
        src = rng.choice(intermediate)
        with open(os.path.join(out, "models/marts", name + ".sql"), "w") as f:
            f.write("select athlete, kind, date_trunc('week', day)::date as week_start,\n"
                    "       count(*) as sets, sum(reps * weight_kg) as volume_kg, max(weight_kg) as top_kg\n"
                    f"from {{{{ ref('{src}') }}}}\n"
                    "group by 1, 2, 3\n")
        test(name, "athlete", "not_null")
    with open(os.path.join(out, "models", "schema.yml"), "w") as f:
        f.write("\n".join(props) + "\n")


if __name__ == "__main__":
    main()
