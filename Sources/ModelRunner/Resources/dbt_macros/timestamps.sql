{#- Current time: dbt.current_timestamp() is now() on postgres (timestamptz); the *_backcompat
    variants, which dbt_utils and dbt_date call, give a timestamp without time zone. -#}

{%- macro current_timestamp() -%}{{ adapter.dispatch('current_timestamp', 'dbt')() }}{%- endmacro -%}
{%- macro default__current_timestamp() -%}
  {{ exceptions.raise_compiler_error('current_timestamp macro not implemented for adapter ' ~ target.type) }}
{%- endmacro -%}
{%- macro postgres__current_timestamp() -%}now(){%- endmacro -%}

{%- macro current_timestamp_backcompat() -%}{{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}{%- endmacro -%}
{%- macro default__current_timestamp_backcompat() -%}current_timestamp::timestamp{%- endmacro -%}
{%- macro postgres__current_timestamp_backcompat() -%}current_timestamp::{{ dbt.type_timestamp() }}{%- endmacro -%}

{%- macro current_timestamp_in_utc_backcompat() -%}
  {{- return(adapter.dispatch('current_timestamp_in_utc_backcompat', 'dbt')()) -}}
{%- endmacro -%}
{%- macro default__current_timestamp_in_utc_backcompat() -%}
  {{- return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) -}}
{%- endmacro -%}
{%- macro postgres__current_timestamp_in_utc_backcompat() -%}
  (current_timestamp at time zone 'utc')::{{ dbt.type_timestamp() }}
{%- endmacro -%}

{#- The time a snapshot records: the current time without time zone on postgres. -#}
{%- macro snapshot_get_time() -%}{{ adapter.dispatch('snapshot_get_time', 'dbt')() }}{%- endmacro -%}
{%- macro default__snapshot_get_time() -%}{{ dbt.current_timestamp() }}{%- endmacro -%}
{%- macro postgres__snapshot_get_time() -%}{{ dbt.current_timestamp() }}::timestamp without time zone{%- endmacro -%}
