-- refs the package's own seed
select v.customer_id, v.country_code, c.country_name
from (values (1, 'BR'), (2, 'DE'), (3, 'PT'), (4, 'BR')) as v(customer_id, country_code)
join {{ ref('pkg_countries') }} c using (country_code)
