-- a singular test of the package: rows returned are failures
select * from {{ ref('pkg_rates') }} where rate <= 0
