{#- The current timestamp of the warehouse. -#}
{% macro current_timestamp() -%}
    {{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}
{%- endmacro %}

{% macro postgres__current_timestamp() -%}
    now()
{%- endmacro %}
