-- The staged recruited set against a full recomputation of it: every driver with a lead date
-- (ops.v_lead_dates, computed from the leads and their links now) is staged with that lead
-- date, and no one else is.
-- Grain: one row: the drivers that differ, and up to 10 examples 'driver_id: staged -> now'.
with now_recruited as (
    select driver_id, lead_date from ops.v_lead_dates
),

differences as (
    select coalesce(now_recruited.driver_id, staged.driver_id) as driver_id,
        staged.lead_date as staged_lead_date, now_recruited.lead_date
    from now_recruited
    full join ops.stg_driver_trips_14d as staged using (driver_id)
    where staged.lead_date is distinct from now_recruited.lead_date
)

select
    count(*) as violations,
    (array_agg(driver_id || ': ' || coalesce(staged_lead_date::text, 'not staged') || ' -> '
        || coalesce(lead_date::text, 'not recruited') order by driver_id))[1:10] as examples
from differences
