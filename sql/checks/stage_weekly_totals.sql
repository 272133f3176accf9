-- The staged per-driver figures against a recomputation from the staged days, per lead week:
-- drivers, trips in the window, drivers who reached M1, M5 and M25, drivers connected. Written
-- independently of staging/summarize.sql: a driver reached milestone N when its window's trips
-- add up to N (the running total only grows).
-- Grain: one row: the weeks whose totals differ, and up to 10 of them as 'week: staged / recomputed'.
-- Inputs: ops.stg_driver_trips_14d, ops.stg_trip_days, ops.v_milestone_amounts.
-- Rules: each driver's window is read by primary key and its connection through the partial
--   index, so the check costs the recruited drivers, not their history.
with window_length as (
    select max(window_days) as days from ops.v_milestone_amounts
),

recomputed_drivers as (
    select
        staged.driver_id,
        date_trunc('week', staged.lead_date)::date as week_start,
        coalesce((
            select sum(days.trips)
            from ops.stg_trip_days as days
            where days.driver_id = staged.driver_id
              and days.trip_date >= staged.lead_date
              and days.trip_date < staged.lead_date + (select days from window_length)
        ), 0) as trips,
        exists (
            select from ops.stg_trip_days as days
            where days.driver_id = staged.driver_id and days.connected and days.trip_date >= staged.lead_date
        ) as connected
    from ops.stg_driver_trips_14d as staged
),

recomputed as (
    select week_start, count(*) as drivers, sum(least(trips, 2147483647)) as trips,
        count(*) filter (where trips >= 1) as m1, count(*) filter (where trips >= 5) as m5,
        count(*) filter (where trips >= 25) as m25, count(*) filter (where connected) as connected
    from recomputed_drivers
    group by week_start
),

staged as (
    select date_trunc('week', lead_date)::date as week_start, count(*) as drivers, sum(total_trips_14d) as trips,
        count(m1_achieved_date) as m1, count(m5_achieved_date) as m5, count(m25_achieved_date) as m25,
        count(connected_date) as connected
    from ops.stg_driver_trips_14d
    group by 1
),

differences as (
    select week_start, staged, recomputed
    from staged
    full join recomputed using (week_start)
    where (staged.drivers, staged.trips, staged.m1, staged.m5, staged.m25, staged.connected)
        is distinct from (recomputed.drivers, recomputed.trips, recomputed.m1, recomputed.m5, recomputed.m25,
                          recomputed.connected)
)

select
    count(*) as violations,
    (array_agg(week_start || ': ' || coalesce(staged::text, '-') || ' / ' || coalesce(recomputed::text, '-')
        order by week_start))[1:10] as examples
from differences
