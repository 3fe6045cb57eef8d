{#
  What a data test reads (dbt's documented override of get_where_subquery; docs/scaling.md "The daily pipeline
  tests the rows it rebuilt"). With the var `test_changed_rows_only` (which `fitdata pipeline daily` sets for an
  incremental run), a test of a table with athlete_id and week_start reads only the rows the incremental build
  rewrote: each changed athlete's weeks from its rebuild_week on (int_changes__rebuild_from, not yet consumed
  while the pipeline tests), one index range per athlete, like the models' reads (changed_rows). Views are read
  whole (a view evaluated once per athlete costs more than once in full), as is every other relation, and
  everything in every other run. The test's `where` config narrows either.
  The relation of int_changes__rebuild_from is named, not ref'd: a test does not depend on it in dbt's graph.
#}
{% macro get_where_subquery(relation) -%}
    {%- set condition = config.get('where') -%}
    {%- set scoped = false -%}
    {%- if var('test_changed_rows_only', false) and execute -%}
        {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- if found is not none and found.is_table -%}
            {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
            {%- set scoped = 'athlete_id' in names and 'week_start' in names -%}
        {%- endif -%}
    {%- endif -%}
    {%- if scoped -%}
        {%- set changed = api.Relation.create(database=target.database, schema='intermediate', identifier='int_changes__rebuild_from') -%}
        {{ return("(select tested.* from " ~ changed ~ " as changed cross join lateral (select * from " ~ relation
                  ~ " as t where t.athlete_id = changed.athlete_id and t.week_start >= changed.rebuild_week offset 0) as tested"
                  ~ (" where " ~ condition if condition else "") ~ ") dbt_subquery") }}
    {%- elif condition -%}
        {{ return("(select * from " ~ relation ~ " where " ~ condition ~ ") dbt_subquery") }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
