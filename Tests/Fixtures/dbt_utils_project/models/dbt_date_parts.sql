select
    order_id,
    {{ dbt_date.day_name('order_date') }} as day_name,
    {{ dbt_date.day_of_week('order_date', isoweek=true) }} as iso_day_of_week,
    {{ dbt_date.iso_week_of_year('order_date') }} as iso_week,
    {{ dbt_date.month_name('order_date', short=false) }} as month_name,
    {{ dbt_date.n_days_ago(3, 'order_date') }} as three_days_before,
    {{ dbt_date.week_start('order_date') }} as week_start,
    {{ dbt_date.week_end('order_date') }} as week_end
from {{ ref('orders') }}
