with latest as (
    {{ dbt_utils.deduplicate(relation=ref('orders'), partition_by='customer_id', order_by='order_date desc, order_id') }}
)
select
    latest.customer_id,
    latest.order_id,
    {{ dbt_utils.safe_divide('latest.amount', 'latest.customer_id - 1') }} as per_other_customer,
    {{ dbt_utils.safe_add(['latest.amount', 'latest.order_id']) }} as amount_plus_id,
    {{ dbt_utils.safe_subtract(['latest.amount', 'latest.order_id']) }} as amount_minus_id,
    {{ dbt_utils.width_bucket('latest.amount', 0, 100, 4) }} as amount_bucket,
    {{ dbt_utils.haversine_distance(38.72, -9.14, 40.42, -3.70, unit='km') }} as lisbon_madrid_km,
    '{{ dbt_utils.get_filtered_columns_in_relation(ref('orders'), except=['note']) | join(",") }}' as order_columns,
    {{ dbt_utils.get_single_value("select max(amount) from " ~ ref('orders')) }} as max_amount
from latest
