#!/usr/bin/env python3
"""Generates a dbt project whose models use Jinja statements, a project macro and a package (dbt_utils).

Usage: gen_jinja_project.py OUT_DIR N_MODELS DBT_UTILS_DIR

Every model sets a list, loops over it, calls the project macro `cents_to_dollars`, calls
`dbt_utils.generate_surrogate_key` (which dispatches to dbt.hash / dbt.concat / dbt.type_string) and refs an
earlier model (or the seed-like base model). `fitdata compile --project-dir OUT_DIR` parses and compiles them all
without a database (the models do not introspect).
"""
import os
import shutil
import sys


def main() -> None:
    out, n, utils = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(f"{out}/models", exist_ok=True)
    os.makedirs(f"{out}/macros", exist_ok=True)
    os.makedirs(f"{out}/dbt_packages", exist_ok=True)
    shutil.copytree(utils, f"{out}/dbt_packages/dbt_utils", ignore=shutil.ignore_patterns("integration_tests", "docs", ".*"))
    with open(f"{out}/dbt_project.yml", "w") as f:
        f.write("name: jinja_bench\nversion: '1.0'\nmodels:\n  jinja_bench:\n    +materialized: view\n")
    with open(f"{out}/macros/money.sql", "w") as f:
        f.write("{% macro cents_to_dollars(col, scale=2) -%}\n    round({{ col }}::numeric / 100, {{ scale }})\n{%- endmacro %}\n")
    with open(f"{out}/models/m0000.sql", "w") as f:
        f.write("select 1 as id, 250 as cents, 'a' as kind\n")
    for i in range(1, n):
        parent = f"m{(i - 1) // 2:04d}"
        with open(f"{out}/models/m{i:04d}.sql", "w") as f:
            f.write(
                "{%- set cols = ['id', 'cents', 'kind'] -%}\n"
                "select {{ dbt_utils.generate_surrogate_key(['id', 'kind']) }} as sk,\n"
                "{%- for c in cols %}\n    {{ c }}{{ ',' if not loop.last }}\n{%- endfor %},\n"
                "    {{ cents_to_dollars('cents') }} as dollars\n"
                f"from {{{{ ref('{parent}') }}}}\n"
            )


if __name__ == "__main__":
    main()
