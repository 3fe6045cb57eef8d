{#- Helpers generic test macros call. -#}

{#- Whether failing rows are stored: the test's `store_failures` config, else the --store-failures flag. -#}
{% macro should_store_failures() -%}
    {%- set configured = config.get('store_failures') -%}
    {%- if configured is none -%}
        {%- set configured = flags.STORE_FAILURES -%}
    {%- endif -%}
    {{ return(configured) }}
{%- endmacro %}

{#- The relation a test reads, narrowed by the test's `where` config. -#}
{% macro get_where_subquery(relation) -%}
    {%- set condition = config.get('where') -%}
    {%- if condition -%}
        {{ return("(select * from " ~ relation ~ " where " ~ condition ~ ") dbt_subquery") }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
