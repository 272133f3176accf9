-- ops.v_driver_trips_14d: each recruited driver's trips in the 14-day window, in one pass.
-- Grain: one row per driver_id with a lead date.
-- Inputs: ops.v_lead_dates, ops.v_trips_daily, ops.v_milestone_amounts.
-- Rules: trips count inside [lead_date, lead_date + window), each day once; mN_achieved_date =
--   the first day the running total reaches N (NULL when it does not in the window);
--   connected_date = the first connected day on/after lead_date (no upper bound).
--   Claims and the financial view both read this view, so the trip rows are scanned once
--   per query that needs them.
create or replace view ops.v_driver_trips_14d as

with lead_dates as (
    select driver_id, lead_date from ops.v_lead_dates
),

window_days as (
    select max(window_days) as days from ops.v_milestone_amounts
),

trips_after_lead as (
    select trips.driver_id, trips.trip_date, trips.trips, trips.connected,
        trips.trip_date < lead_dates.lead_date + window_days.days as in_window
    from ops.v_trips_daily as trips
    join lead_dates using (driver_id)
    cross join window_days
    where trips.trip_date >= lead_dates.lead_date
),

running_totals as (
    select *,
        sum(trips) filter (where in_window) over (partition by driver_id order by trip_date) as trips_to_date
    from trips_after_lead
),

per_driver as (
    select
        driver_id,
        coalesce(sum(trips) filter (where in_window), 0)::integer as total_trips_14d,
        min(trip_date) filter (where connected) as connected_date,
        min(trip_date) filter (where in_window and trips_to_date >= 1) as m1_achieved_date,
        min(trip_date) filter (where in_window and trips_to_date >= 5) as m5_achieved_date,
        min(trip_date) filter (where in_window and trips_to_date >= 25) as m25_achieved_date
    from running_totals
    group by driver_id
)

select
    lead_dates.driver_id,
    lead_dates.lead_date,
    coalesce(per_driver.total_trips_14d, 0) as total_trips_14d,
    per_driver.connected_date,
    per_driver.m1_achieved_date,
    per_driver.m5_achieved_date,
    per_driver.m25_achieved_date
from lead_dates
left join per_driver using (driver_id);
