-- dbt's cross-database date macros (dbt.*), every datepart postgres supports
select
    order_id,
    order_date,
    {% for part in ['day', 'week', 'month', 'quarter', 'year'] -%}
    {{ dbt.date_trunc(part, 'order_date') }} as trunc_{{ part }},
    {{ dbt.last_day('order_date', part) }} as last_day_{{ part }},
    {% endfor -%}
    {% for part in ['day', 'week', 'month', 'year', 'hour', 'minute', 'second'] -%}
    {{ dbt.dateadd(part, -2, 'order_date') }} as minus_two_{{ part }},
    {% endfor -%}
    {% for part in ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond'] -%}
    {{ dbt.datediff("cast('2023-12-25 18:30:15.25' as timestamp)", 'order_date', part) }} as since_xmas_{{ part }},
    {{ dbt.datediff('order_date', "cast('2023-12-25 18:30:15.25' as timestamp)", part) }} as until_xmas_{{ part }},
    {% endfor -%}
    {{ dbt.date(2024, 2, 29) }} as leap_day
from {{ ref('orders') }}
