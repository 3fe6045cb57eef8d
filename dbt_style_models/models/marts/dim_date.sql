-- Calendar over the data's date range (workouts, body weight, nutrition), widened to whole ISO weeks.
-- Each first and last day is one step in the table's date index (migration 0015), so a daily build does not read the
-- whole history for it (it did: 2.4 s of full scans at 1,000 athletes x 5 years); on Citus, one step on each shard.
with bounds as (

    select
        fitness.iso_week_start(least(
            (select min(local_date) from {{ ref('stg_core__workouts') }}),
            (select min(date) from {{ source('core', 'body_measurements') }} where weight_kg is not null),
            (select min(date) from {{ source('core', 'nutrition_days') }})
        )) as first_day,
        fitness.iso_week_start(greatest(
            (select max(local_date) from {{ ref('stg_core__workouts') }}),
            (select max(date) from {{ source('core', 'body_measurements') }} where weight_kg is not null),
            (select max(date) from {{ source('core', 'nutrition_days') }})
        )) + 6 as last_day

),

spine as (

    select cast(day as date) as date_day
    from bounds
    cross join lateral generate_series(bounds.first_day, bounds.last_day, interval '1 day') as day
    where bounds.first_day is not null

),

final as (

    select
        date_day,
        fitness.iso_week_start(date_day) as week_start,
        fitness.iso_week_label(date_day) as iso_week,
        cast(extract(isoyear from date_day) as integer) as iso_year,
        cast(extract(week from date_day) as integer) as iso_week_number,
        cast(extract(isodow from date_day) as integer) as iso_day_of_week,
        trim(to_char(date_day, 'Day')) as day_name,
        cast(extract(isodow from date_day) as integer) in (6, 7) as is_weekend,
        cast(date_trunc('month', date_day) as date) as month_start,
        cast(extract(month from date_day) as integer) as month_number,
        trim(to_char(date_day, 'Month')) as month_name,
        cast(extract(quarter from date_day) as integer) as quarter_number,
        cast(extract(year from date_day) as integer) as calendar_year
    from spine

)

select * from final
