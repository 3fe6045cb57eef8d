-- One row per athlete with data changes the incremental marts have not been built through yet (core.change_log
-- rows after meta.mart_watermark): the first date and ISO week from which that athlete's incremental rows are
-- deleted and rebuilt. The one home of the "what does a change invalidate" rule:
--   workouts, blocks, sets, nutrition days: from the changed row's own date (earliest of old and new version);
--   targets: from the changed row's effective_from;
--   body weight: the weigh-in before it (interpolated days since then change), and at most
--                body_weight_nearest_days (14) days earlier (days before a new or removed first weigh-in).
-- Everything a mart computes for a week depends only on that week and earlier ones (running bests, 4-week
-- changes, trends), so rebuilding every week from rebuild_week on reproduces a full build.
with watermark as (

    select coalesce(max(change_id), 0) as change_id
    from {{ source('build_state', 'mart_watermark') }}

),

pending as (

    select change_log.source_table, change_log.athlete_sk, change_log.from_date
    from {{ source('changes', 'change_log') }} as change_log
    cross join watermark
    where change_log.change_id > watermark.change_id

),

-- The athlete's weigh-in days (stg_core__body_measurements' days), read from the source: the lookup below is then one
-- backward step in its (athlete, date) index. Through the staging view PostgreSQL ranked every earlier weigh-in of the
-- athlete for each lookup (1,200 rows a change at 5 years of history), and this view is read by every incremental model.
weigh_ins as (

    select athlete_sk, date as measured_on
    from {{ source('core', 'body_measurements') }}
    where weight_kg is not null

),

athletes as (

    select * from {{ ref('stg_core__athletes') }}

),

reach as (

    select
        pending.athlete_sk,
        case
            when pending.source_table = 'body_measurements' then least(
                pending.from_date - {{ var('body_weight_nearest_days', 14) }},
                (select max(weigh_ins.measured_on) from weigh_ins
                  where weigh_ins.athlete_sk = pending.athlete_sk and weigh_ins.measured_on < pending.from_date))
            else pending.from_date
        end as from_date
    from pending

),

final as (

    select
        reach.athlete_sk,
        athletes.athlete_id,
        min(reach.from_date) as rebuild_from,
        fitness.iso_week_start(min(reach.from_date)) as rebuild_week
    from reach
    join athletes on athletes.athlete_sk = reach.athlete_sk
    group by reach.athlete_sk, athletes.athlete_id

)

select * from final
