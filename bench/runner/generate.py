#!/usr/bin/env python3
"""Generates a layered dbt-style project of N models over a 20k-row source, for benchmarking the model runner.

usage: generate.py N OUT_DIR [--jinja [--dbt-utils DIR]]

Layers: ~20% staging views over the source, ~50% intermediate models (2/3 tables, 1/3 views) each joining
one or two models of earlier layers, ~30% mart tables aggregating one intermediate model.
Every model has one data test (unique / not_null). The project is valid for dbt-core as well.

--jinja: the same graph written the way dbt projects are: staging models list their columns with `set` and
`for`, intermediate models call a project macro, marts call a dispatched macro of a local package
(vendor/bench_pkg, declared in packages.yml: run `fitdata deps` first) that calls dbt's built-in `dbt.date_trunc`.
--dbt-utils DIR: also copy dbt_utils from DIR into dbt_packages/ (declared as a hub package) and give every mart
a `dbt_utils.generate_surrogate_key` column.
"""
import os
import random
import shutil
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    jinja = "--jinja" in sys.argv[3:]
    utils_dir = sys.argv[sys.argv.index("--dbt-utils") + 1] if "--dbt-utils" in sys.argv else None
    rng = random.Random(42)
    if jinja:
        write(os.path.join(out, "macros", "units.sql"),
              "{% macro kg_to_lb(column) -%}\n    round(({{ column }}) * 2.20462, 1)\n{%- endmacro %}\n")
        write(os.path.join(out, "vendor", "bench_pkg", "dbt_project.yml"), "name: bench_pkg\nversion: '1.0.0'\nconfig-version: 2\n")
        write(os.path.join(out, "vendor", "bench_pkg", "macros", "week.sql"),
              "{% macro week_start(column) -%}\n"
              "    {{ return(adapter.dispatch('week_start', 'bench_pkg')(column)) }}\n"
              "{%- endmacro %}\n\n"
              "{% macro default__week_start(column) -%}\n"
              "    cast({{ dbt.date_trunc('week', column) }} as date)\n"
              "{%- endmacro %}\n")
        packages = ["packages:", "  - local: vendor/bench_pkg"]
        if utils_dir:
            packages += ["  - package: dbt-labs/dbt_utils", "    version: 1.3.3"]
            shutil.copytree(utils_dir, os.path.join(out, "dbt_packages", "dbt_utils"),
                            ignore=shutil.ignore_patterns(".git", "integration_tests", "docs"), dirs_exist_ok=True)
        write(os.path.join(out, "packages.yml"), "\n".join(packages) + "\n")
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
            if jinja:
                f.write("{% set columns = ['id', 'athlete', 'kind', 'reps', 'weight_kg', 'day'] %}\n"
                        "select {% for c in columns %}{{ c }}{{ ', ' if not loop.last }}{% endfor %}\n")
            else:
                f.write("select id, athlete, kind, reps, weight_kg, day\n")
            f.write("from {{ source('raw', 'events') }}\n"
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
                    "select a.id, a.athlete, a.kind, a.reps + coalesce(b.reps, 0) as reps, a.weight_kg, a.day"
                    + (", {{ kg_to_lb('a.weight_kg') }} as weight_lb\n" if jinja else "\n")
                    + f"from {{{{ ref('{a}') }}}} a\n"
                    f"left join {{{{ ref('{b}') }}}} b on b.id = a.id\n")
        test(name, "id", "not_null")
        intermediate.append(name)
        earlier.append(name)
    for i in range(n_mart):
        name = f"mart_weekly_{i:04d}"
        src = rng.choice(intermediate)
        with open(os.path.join(out, "models/marts", name + ".sql"), "w") as f:
            week = "{{ bench_pkg.week_start('day') }}" if jinja else "date_trunc('week', day)::date"
            key = "{{ dbt_utils.generate_surrogate_key(['athlete', 'kind']) }} as mart_key, " if utils_dir else ""
            f.write(f"select athlete, kind, {week} as week_start, {key}\n"
                    "       count(*) as sets, sum(reps * weight_kg) as volume_kg, max(weight_kg) as top_kg\n"
                    f"from {{{{ ref('{src}') }}}}\n"
                    "group by 1, 2, 3\n")
        test(name, "athlete", "not_null")
    with open(os.path.join(out, "models", "schema.yml"), "w") as f:
        f.write("\n".join(props) + "\n")


if __name__ == "__main__":
    main()
