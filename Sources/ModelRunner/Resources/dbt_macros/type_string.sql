{#- The warehouse's string type (PostgreSQL: TEXT, the label dbt's Column type translation gives "string"). -#}
{% macro type_string() -%}
    {{ return(adapter.dispatch('type_string', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_string() -%}
    {{ return('TEXT') }}
{%- endmacro %}
