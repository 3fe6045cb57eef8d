-- dbt_utils.star with except, a relation alias and a prefix (reads the seed's columns from the database)
select {{ dbt_utils.star(from=ref('orders'), except=['note', 'amount'], relation_alias='o', prefix='o_') }},
       {{ dbt_utils.star(from=ref('customers'), except=['customer_id'], quote_identifiers=false) }}
from {{ ref('orders') }} as o
join {{ ref('customers') }} using (customer_id)
