-- a two-argument ref and a one-argument ref into the package
select c.customer_id, c.country_name, r.rate, r.scoped, r.pkg_only, r.from_macro
from {{ ref('local_pkg', 'pkg_customers') }} c
cross join {{ ref('pkg_rates') }} r
