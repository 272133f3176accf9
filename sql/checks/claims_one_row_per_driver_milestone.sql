-- Grain of ops.v_claims_14d: one row per (driver_id, milestone).
-- Grain: one row: duplicated pairs, and up to 10 examples as 'driver_id:milestone'.
-- Violation: duplicated (driver, milestone) claims
-- When it fails: Claims duplicate: check the grain of ops.v_lead_dates and
--   ops.stg_driver_trips_14d for the examples.
select
    count(*) as violations,
    (array_agg(driver_id || ':' || milestone order by driver_id, milestone))[1:10] as examples
from (
    select driver_id, milestone from ops.v_claims_14d group by driver_id, milestone having count(*) > 1
) as d
