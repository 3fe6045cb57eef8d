{%- set statuses = dbt_utils.get_column_values(ref('orders'), 'status', order_by='status') -%}
select
    customer_id,
    {{ dbt_utils.pivot('status', statuses) }},
    {{ dbt_utils.pivot('status', statuses, agg='sum', then_value='amount', else_value=0, prefix='amount_', quote_identifiers=false) }}
from {{ ref('orders') }}
{{ dbt_utils.group_by(1) }}
