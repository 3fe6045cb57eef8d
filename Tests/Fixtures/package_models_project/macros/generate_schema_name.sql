{# The root project's override: package models are named by it too. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ target.schema }}__{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
