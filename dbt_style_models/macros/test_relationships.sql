{#
  dbt's relationships test, as the project's own (dbt runs a project's `{% test relationships %}` in place of its
  built-in). Every row of the child whose value the parent lacks fails. With the var `test_changed_rows_only` (the
  daily pipeline's incremental test step: docs/scaling.md "The daily pipeline tests the rows it rebuilt") the child is
  the few rewritten rows, and each looks its parent up in the parent's index (`offset 0` keeps the lookup a subquery
  per row): as dbt's join, PostgreSQL read the whole parent, 8 M rows of fct_sets for fct_cardio at 1,000 athletes x
  5 years, because it cannot tell how few child rows the scope leaves. Otherwise dbt's own query.
#}
{% test relationships(model, column_name, to, field) %}

with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
){% if var('test_changed_rows_only', false) %}

select from_field
from child
where not exists (
    select 1 from {{ to }} as parent
    where parent.{{ field }} = child.from_field
    offset 0
)
{% else %},

parent as (
    select {{ field }} as to_field
    from {{ to }}
)

select from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
{% endif %}

{% endtest %}
