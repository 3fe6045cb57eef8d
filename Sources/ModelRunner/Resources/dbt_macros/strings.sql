{#- String helpers: dbt.concat, dbt.hash, dbt.length, dbt.position, dbt.replace, dbt.right,
    dbt.split_part (negative part numbers count from the end on postgres), dbt.string_literal,
    dbt.escape_single_quotes. Arguments are SQL expressions, written into the SQL as given. -#}

{%- macro concat(fields) -%}{{ return(adapter.dispatch('concat', 'dbt')(fields)) }}{%- endmacro -%}
{%- macro default__concat(fields) -%}{{ fields | join(' || ') }}{%- endmacro -%}

{%- macro hash(field) -%}{{ return(adapter.dispatch('hash', 'dbt')(field)) }}{%- endmacro -%}
{%- macro default__hash(field) -%}md5(cast({{ field }} as {{ dbt.type_string() }})){%- endmacro -%}

{%- macro length(expression) -%}{{ return(adapter.dispatch('length', 'dbt')(expression)) }}{%- endmacro -%}
{%- macro default__length(expression) -%}length({{ expression }}){%- endmacro -%}

{%- macro position(substring_text, string_text) -%}
  {{- return(adapter.dispatch('position', 'dbt')(substring_text, string_text)) -}}
{%- endmacro -%}
{%- macro default__position(substring_text, string_text) -%}position({{ substring_text }} in {{ string_text }}){%- endmacro -%}

{%- macro replace(field, old_chars, new_chars) -%}
  {{- return(adapter.dispatch('replace', 'dbt')(field, old_chars, new_chars)) -}}
{%- endmacro -%}
{%- macro default__replace(field, old_chars, new_chars) -%}replace({{ field }}, {{ old_chars }}, {{ new_chars }}){%- endmacro -%}

{%- macro right(string_text, length_expression) -%}
  {{- return(adapter.dispatch('right', 'dbt')(string_text, length_expression)) -}}
{%- endmacro -%}
{%- macro default__right(string_text, length_expression) -%}right({{ string_text }}, {{ length_expression }}){%- endmacro -%}

{%- macro split_part(string_text, delimiter_text, part_number) -%}
  {{- return(adapter.dispatch('split_part', 'dbt')(string_text, delimiter_text, part_number)) -}}
{%- endmacro -%}
{%- macro default__split_part(string_text, delimiter_text, part_number) -%}
  split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro -%}

{#- A negative part counts from the end: the number of delimiters (length lost by removing them)
    plus 2 plus the (negative) part number is the same part counted from the start. This assumes a
    one-character delimiter, as dbt does. -#}
{%- macro _split_part_negative(string_text, delimiter_text, part_number) -%}
  split_part({{ string_text }}, {{ delimiter_text }},
    length({{ string_text }}) - length(replace({{ string_text }}, {{ delimiter_text }}, '')) + 2 + {{ part_number }})
{%- endmacro -%}

{%- macro postgres__split_part(string_text, delimiter_text, part_number) -%}
  {%- if part_number >= 0 -%}
    {{ dbt.default__split_part(string_text, delimiter_text, part_number) }}
  {%- else -%}
    {{ dbt._split_part_negative(string_text, delimiter_text, part_number) }}
  {%- endif -%}
{%- endmacro -%}

{%- macro string_literal(value) -%}{{ return(adapter.dispatch('string_literal', 'dbt')(value)) }}{%- endmacro -%}
{%- macro default__string_literal(value) -%}'{{ value }}'{%- endmacro -%}

{%- macro escape_single_quotes(expression) -%}
  {{- return(adapter.dispatch('escape_single_quotes', 'dbt')(expression)) -}}
{%- endmacro -%}
{%- macro default__escape_single_quotes(expression) -%}{{ expression | replace("'", "''") }}{%- endmacro -%}
