-- dbt's aggregate macros; any_value is overridden by this project (macros/overrides.sql), as dispatch allows
select
    customer_id,
    {{ dbt.any_value('order_id') }} as some_order,
    {{ dbt.bool_or("status = 'returned'") }} as any_returned,
    {{ dbt.listagg('status', "', '", 'order by order_id') }} as statuses,
    {{ dbt.listagg("cast(order_id as text)", "'|'", 'order by order_id desc', 1) }} as last_order,
    count(*) as orders
from {{ ref('orders') }}
group by customer_id
{{ dbt.except() }}
select 999, null, null, null, null, 0
