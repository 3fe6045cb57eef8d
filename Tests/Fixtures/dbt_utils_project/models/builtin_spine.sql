-- dbt.date_spine (dbt's own, not dbt_utils'), set operators and generate_series
select date_week from ({{ dbt.date_spine('week', "cast('2024-01-03' as date)", "cast('2024-03-01' as date)") }}) spine
{{ dbt.intersect() }}
select date_week from ({{ dbt.date_spine('week', "cast('2024-01-10' as date)", "cast('2024-06-01' as date)") }}) later
union all
select cast('1999-01-01' as timestamp) + generated_number * interval '1 day' from ({{ dbt.generate_series(5) }}) g
