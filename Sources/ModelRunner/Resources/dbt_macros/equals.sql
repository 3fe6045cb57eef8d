{#- dbt.equals compares two expressions; dbt-core 1.11 leaves the behaviour flag
    enable_truthy_nulls_equals_macro off by default, where this is a plain `=`. -#}
{%- macro equals(expr1, expr2) -%}{{ return(adapter.dispatch('equals', 'dbt')(expr1, expr2)) }}{%- endmacro -%}
{%- macro default__equals(expr1, expr2) -%}({{ expr1 }} = {{ expr2 }}){%- endmacro -%}
