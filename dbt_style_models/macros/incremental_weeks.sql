{#
  Incremental weekly models (docs/scaling.md "Incremental marts"). A model with one row per athlete and week
  from the athlete's first to last week (weeks without data are rows) keeps, for a changed athlete, the weeks
  before its rebuild_week (the folder pre-hook deleted the rest). Its rows of an athlete are consecutive weeks,
  so what is missing starts the week after the last one kept: the rebuilt weeks and any weeks between the kept
  ones and the rebuild week (a workout after a break of several weeks). When the athlete's last week moves
  earlier (its latest data deleted), the kept weeks after the new last week go too.
#}

{#- The folder pre-hook of every incremental model: in an incremental run, deletes each changed athlete's rows from its
    rebuild_week on. The rows are found one index range per athlete (the lateral subquery, kept apart with offset 0)
    and deleted by their ctid: as a join with int_changes__rebuild_from, PostgreSQL hashed the whole table once most
    athletes had changed (a full scan of 8 M rows of int_sets__metrics at 1,000 athletes x 5 years). -#}
{% macro delete_changed_weeks() -%}
{% if is_incremental() -%}
delete from {{ this }}
where ctid = any(array(
    select doomed.ctid
    from {{ ref('int_changes__rebuild_from') }} as changed
    cross join lateral (
        select t.ctid from {{ this }} as t
        where t.athlete_id = changed.athlete_id and t.week_start >= changed.rebuild_week
        offset 0
    ) as doomed
))
{%- endif %}
{%- endmacro %}

{#- The first week a changed athlete has no row for in {{ this }} (-infinity when it has none). -#}
{% macro first_unbuilt_week(athlete_id) -%}
coalesce((select max(built.week_start) from {{ this }} as built where built.athlete_id = {{ athlete_id }}) + 7, date '-infinity')
{%- endmacro %}

{#- A pre-hook: deletes the changed athletes' rows after `last_week`, a scalar query of the athlete's new last
    week that may use changed.athlete_id and changed.athlete_sk (no row or NULL: every row of the athlete); it runs
    once per changed athlete. -#}
{% macro delete_weeks_after(last_week) -%}
{% if is_incremental() -%}
delete from {{ this }} as t
using (
    select changed.athlete_id, ({{ last_week }}) as last_week
    from {{ ref('int_changes__rebuild_from') }} as changed
) as bounds
where t.athlete_id = bounds.athlete_id and t.week_start > coalesce(bounds.last_week, date '-infinity')
{%- endif %}
{%- endmacro %}

{#- The rows of `relation` an incremental build reads: in an incremental run, those `condition` selects for each
    changed athlete (`changed`: the FROM item of the changed athletes, by default int_changes__rebuild_from as
    changed; `condition` compares `alias`'s athlete and date with it), read one athlete at a time through the
    relation's (athlete, date) index. `offset 0` keeps each athlete's subquery apart: as a join, PostgreSQL cannot
    tell how few rows the date bound leaves and reads every athlete's history. Otherwise: every row. -#}
{% macro changed_rows(relation, alias, condition, changed=none) -%}
{% if is_incremental() -%}
select {{ alias }}.* from {{ changed or (ref('int_changes__rebuild_from') ~ ' as changed') }}
    cross join lateral (
        select * from {{ relation }} as {{ alias }}
        where {{ condition }}
        offset 0
    ) as {{ alias }}
{%- else -%}
select {{ alias }}.* from {{ relation }} as {{ alias }}
{%- endif %}
{%- endmacro %}
