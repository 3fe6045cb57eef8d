{#
  Schema naming: a model's custom schema IS its schema name (marts, not public_marts), so that
  dbt-core and the fitdata runner build into the same schemas. Under the `compat` target
  (scripts/compat-dbt.sh) dbt builds beside ours instead: <target.schema>_<custom schema>, e.g. dbt_marts.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.name == 'compat' -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
