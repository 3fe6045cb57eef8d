{#- should_full_refresh(), a global macro of dbt's that packages call unqualified: the node's own
    `full_refresh` config wins, otherwise the run's --full-refresh flag. (should_store_failures is in
    test_helpers.sql.) -#}

{%- macro should_full_refresh() -%}
  {%- set configured = config.get('full_refresh') -%}
  {{- return(flags.FULL_REFRESH if configured is none else configured) -}}
{%- endmacro -%}
