{#- Number and date series: dbt.get_powers_of_two, dbt.generate_series (1..upper_bound built by
    cross-joining {0,1} n times, no generate_series() needed), dbt.get_intervals_between (runs a
    query: compile needs the database) and dbt.date_spine. -#}

{#- The smallest n with 2^n >= upper_bound (at least 1). -#}
{%- macro get_powers_of_two(upper_bound) -%}{{ return(adapter.dispatch('get_powers_of_two', 'dbt')(upper_bound)) }}{%- endmacro -%}
{%- macro default__get_powers_of_two(upper_bound) -%}
  {%- if upper_bound <= 0 -%}
    {{ exceptions.raise_compiler_error("upper bound must be positive") }}
  {%- endif -%}
  {%- for n in range(1, 100) -%}
    {%- if upper_bound <= 2 ** n -%}{{ return(n) }}{%- endif -%}
  {%- endfor -%}
{%- endmacro -%}

{%- macro generate_series(upper_bound) -%}{{ return(adapter.dispatch('generate_series', 'dbt')(upper_bound)) }}{%- endmacro -%}
{%- macro default__generate_series(upper_bound) -%}
  {%- set n = dbt.get_powers_of_two(upper_bound) %}
    with p as (
        select 0 as generated_number union all select 1
    ), unioned as (
        select
        {% for i in range(n) -%}
        p{{ i }}.generated_number * power(2, {{ i }}){{ ' + ' if not loop.last }}
        {% endfor -%}
        + 1 as generated_number
        from
        {% for i in range(n) -%}
        p as p{{ i }}{{ ' cross join ' if not loop.last }}
        {% endfor %}
    )
    select *
    from unioned
    where generated_number <= {{ upper_bound }}
    order by generated_number
{% endmacro -%}

{#- How many dateparts lie between two dates, asked of the database (1 when there is no answer). -#}
{%- macro get_intervals_between(start_date, end_date, datepart) -%}
  {{- return(adapter.dispatch('get_intervals_between', 'dbt')(start_date, end_date, datepart)) -}}
{%- endmacro -%}
{%- macro default__get_intervals_between(start_date, end_date, datepart) -%}
  {%- call statement('get_intervals_between', fetch_result=True) -%}
    select {{ dbt.datediff(start_date, end_date, datepart) }}
  {%- endcall -%}
  {%- set result = load_result('get_intervals_between') -%}
  {%- if result and result['data'] -%}
    {{ return(result['data'][0][0]) }}
  {%- else -%}
    {{ return(1) }}
  {%- endif -%}
{%- endmacro -%}

{#- One row per datepart from start_date up to, not including, end_date (the datediff count),
    in a column named date_<datepart>. start_date and end_date are SQL expressions. -#}
{%- macro date_spine(datepart, start_date, end_date) -%}
  {{- return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) -}}
{%- endmacro -%}
{%- macro default__date_spine(datepart, start_date, end_date) %}
    with rawdata as (
        {{ dbt.generate_series(dbt.get_intervals_between(start_date, end_date, datepart)) }}
    ),
    all_periods as (
        select ({{ dbt.dateadd(datepart, "row_number() over (order by 1) - 1", start_date) }}) as date_{{ datepart }}
        from rawdata
    ),
    filtered as (
        select * from all_periods where date_{{ datepart }} <= {{ end_date }}
    )
    select * from filtered
{% endmacro -%}
