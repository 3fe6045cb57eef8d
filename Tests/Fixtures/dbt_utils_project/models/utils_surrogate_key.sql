select
    {{ dbt_utils.generate_surrogate_key(['customer_id', 'order_date', 'note']) }} as order_key,
    order_id,
    amount
from {{ ref('orders') }}
