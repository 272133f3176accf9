-- ops.v_trips_daily: trips per driver per day.
-- Grain: one row per (driver_id, trip_date) (enforced with distinct on).
-- Inputs: ops.v_summary_daily_parsed.
-- Rules: rows whose date could not be parsed are skipped (a check counts them); a day
--   reported twice keeps the row with the latest created_at (ties: the larger trip count).
create or replace view ops.v_trips_daily as

with parsed as (
    select driver_id, trip_date, trips, connected, created_at
    from ops.v_summary_daily_parsed
    where trip_date is not null
      and nullif(trim(driver_id), '') is not null
),

latest_per_day as (
    select distinct on (driver_id, trip_date) *
    from parsed
    order by driver_id, trip_date, created_at desc nulls last, trips desc, connected desc
)

select driver_id, trip_date, trips, connected
from latest_per_day;
