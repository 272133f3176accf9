-- Recomputes the 14-day figures of the drivers whose figures can have changed, from their
-- staged days: the rebuilt drivers, and the drivers with a changed day inside the window or
-- on/before their first connected day (a change after both cannot move any figure).
-- Grain: upserts one <summary> row per such driver; returns the number of drivers recomputed.
-- Inputs: <days>, <summary>, stage_recruited, stage_rebuild, stage_changed,
--   ops.v_milestone_amounts.
-- Rules (docs/business-rules.md, "Trips in the window"): trips count inside [lead_date,
--   lead_date + window), each day once; mN_achieved_date = the first day the running total
--   reaches N; connected_date = the first connected day on/after lead_date (no upper bound);
--   total_trips_14d saturates at 2147483647. The window's days are read by primary key and the
--   first connected day through the partial index, so the cost follows the drivers touched,
--   not their history.
with window_length as (
    select max(window_days) as days from ops.v_milestone_amounts
),

targets as (
    select driver_id from stage_rebuild
    union
    select changed.driver_id
    from stage_changed as changed
    join stage_recruited as recruited using (driver_id)
    left join {summary} as staged using (driver_id)
    where changed.trip_date < recruited.lead_date + (select days from window_length)
       or staged.connected_date is null
       or changed.trip_date <= staged.connected_date
),

window_days as (
    select targets.driver_id, days.trip_date, days.trips
    from targets
    join stage_recruited as recruited using (driver_id)
    join {days} as days
        on days.driver_id = targets.driver_id
       and days.trip_date >= recruited.lead_date
       and days.trip_date < recruited.lead_date + (select days from window_length)
),

running_totals as (
    select driver_id, trip_date, trips,
        sum(trips) over (partition by driver_id order by trip_date) as trips_to_date
    from window_days
),

window_figures as (
    select
        driver_id,
        least(sum(trips), 2147483647)::integer as total_trips_14d,
        min(trip_date) filter (where trips_to_date >= 1) as m1_achieved_date,
        min(trip_date) filter (where trips_to_date >= 5) as m5_achieved_date,
        min(trip_date) filter (where trips_to_date >= 25) as m25_achieved_date
    from running_totals
    group by driver_id
),

first_connected as (
    select targets.driver_id, (
        select min(days.trip_date)
        from {days} as days
        where days.driver_id = targets.driver_id and days.connected and days.trip_date >= recruited.lead_date
    ) as connected_date
    from targets
    join stage_recruited as recruited using (driver_id)
),

upserted as (
    insert into {summary} as staged (driver_id, lead_date, total_trips_14d, connected_date,
        m1_achieved_date, m5_achieved_date, m25_achieved_date, staged_at)
    select targets.driver_id, recruited.lead_date, coalesce(figures.total_trips_14d, 0), first_connected.connected_date,
        figures.m1_achieved_date, figures.m5_achieved_date, figures.m25_achieved_date, clock_timestamp()
    from targets
    join stage_recruited as recruited using (driver_id)
    left join window_figures as figures using (driver_id)
    left join first_connected using (driver_id)
    on conflict (driver_id) do update set
        lead_date = excluded.lead_date,
        total_trips_14d = excluded.total_trips_14d,
        connected_date = excluded.connected_date,
        m1_achieved_date = excluded.m1_achieved_date,
        m5_achieved_date = excluded.m5_achieved_date,
        m25_achieved_date = excluded.m25_achieved_date,
        staged_at = excluded.staged_at
    returning driver_id
)

select count(*) as drivers_recomputed from upserted
