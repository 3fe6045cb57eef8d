{# The root project's implementation wins dbt's dispatch for the dbt namespace. #}
{% macro postgres__any_value(expression) -%}
    max({{ expression }})
{%- endmacro %}

{% macro cents(column) -%}
    cast(round({{ column }} * 100) as {{ dbt.type_int() }})
{%- endmacro %}
