{#- Config helpers that dbt defines as global macros and packages call unqualified:
    should_store_failures() (dbt_utils.expression_is_true) and should_full_refresh(). A model's own
    config wins; otherwise the run's flag (--store-failures / --full-refresh). -#}

{%- macro should_store_failures() -%}
  {%- set configured = config.get('store_failures') -%}
  {{- return(flags.STORE_FAILURES if configured is none else configured) -}}
{%- endmacro -%}

{%- macro should_full_refresh() -%}
  {%- set configured = config.get('full_refresh') -%}
  {{- return(flags.FULL_REFRESH if configured is none else configured) -}}
{%- endmacro -%}
