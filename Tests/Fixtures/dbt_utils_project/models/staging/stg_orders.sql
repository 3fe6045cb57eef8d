{#- the constructs of jaffle-shop-classic: a set list, for loops with loop.last, a folder of views -#}
{% set statuses = ['placed', 'shipped', 'completed', 'returned'] %}

select
    order_id,
    customer_id,
    order_date,
    status,
    {% for s in statuses -%}
    case when status = '{{ s }}' then amount else 0 end as {{ s }}_amount{{ ',' if not loop.last }}
    {% endfor %}
from {{ ref('orders') }}
