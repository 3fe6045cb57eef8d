{#- Aggregates: dbt.any_value (min() on postgres, which has no any_value before 16), dbt.bool_or,
    dbt.listagg (string_agg on postgres; with limit_num, a slice of array_agg). -#}

{%- macro any_value(expression) -%}{{ return(adapter.dispatch('any_value', 'dbt')(expression)) }}{%- endmacro -%}
{%- macro default__any_value(expression) -%}any_value({{ expression }}){%- endmacro -%}
{%- macro postgres__any_value(expression) -%}min({{ expression }}){%- endmacro -%}

{%- macro bool_or(expression) -%}{{ return(adapter.dispatch('bool_or', 'dbt')(expression)) }}{%- endmacro -%}
{%- macro default__bool_or(expression) -%}bool_or({{ expression }}){%- endmacro -%}

{%- macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
  {{- return(adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num)) -}}
{%- endmacro -%}

{%- macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- set within = (' within group (' ~ order_by_clause ~ ')') if order_by_clause else '' -%}
  {%- if limit_num -%}
    array_to_string(array_slice(array_agg({{ measure }}){{ within }}, 0, {{ limit_num }}), {{ delimiter_text }})
  {%- else -%}
    listagg({{ measure }}, {{ delimiter_text }}){{ within }}
  {%- endif -%}
{%- endmacro -%}

{#- On postgres the order by clause goes inside the aggregate's parentheses. -#}
{%- macro postgres__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- set ordering = (' ' ~ order_by_clause) if order_by_clause else '' -%}
  {%- if limit_num -%}
    array_to_string((array_agg({{ measure }}{{ ordering }}))[1:{{ limit_num }}], {{ delimiter_text }})
  {%- else -%}
    string_agg({{ measure }}, {{ delimiter_text }}{{ ordering }})
  {%- endif -%}
{%- endmacro -%}
