-- Calendar over the data's date range (workouts, body weight, nutrition), widened to whole ISO weeks.
-- The range is looked up athlete by athlete, each first and last day one step in an (athlete, date) index, so a
-- daily build does not read the whole history for it (it did: 2.4 s of full scans at 1,000 athletes x 5 years).
with athletes as (

    select athlete_sk from {{ ref('stg_core__athletes') }}

),

athlete_bounds as (

    select
        least(workouts.first_day, weigh_ins.first_day, nutrition.first_day) as first_day,
        greatest(workouts.last_day, weigh_ins.last_day, nutrition.last_day) as last_day
    from athletes
    cross join lateral (
        select min(local_date) as first_day, max(local_date) as last_day
        from {{ ref('stg_core__workouts') }} as workouts
        where workouts.athlete_sk = athletes.athlete_sk
    ) as workouts
    cross join lateral (
        -- the days stg_core__body_measurements has (a day with any weight), from the source: the staging view ranks
        -- each day's sources with a window function, which PostgreSQL computes over all of the athlete's rows
        select min(body.date) as first_day, max(body.date) as last_day
        from {{ source('core', 'body_measurements') }} as body
        where body.athlete_sk = athletes.athlete_sk and body.weight_kg is not null
    ) as weigh_ins
    cross join lateral (
        select min(nutrition.date) as first_day, max(nutrition.date) as last_day
        from {{ source('core', 'nutrition_days') }} as nutrition
        where nutrition.athlete_sk = athletes.athlete_sk
    ) as nutrition

),

bounds as (

    select
        fitness.iso_week_start(min(first_day)) as first_day,
        fitness.iso_week_start(max(last_day)) + 6 as last_day
    from athlete_bounds

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
