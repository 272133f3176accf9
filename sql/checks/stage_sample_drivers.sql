-- The reconciliation check's sample: up to %(sample_size)s recruited drivers, drawn afresh each
-- day (ordered by a hash of driver_id and the date), as stage_recruited (stage_sample.sql then
-- builds the rest).
-- Grain: one row per sampled driver; a temporary table dropped at commit.
create temporary table stage_recruited on commit drop as
select driver_id, lead_date
from ops.v_lead_dates
order by md5(driver_id || current_date::text), driver_id
limit %(sample_size)s;
