-- Rows of the cobranza MV whose week_start is NULL (weekly reports would lose them).
-- Grain: one row: the count and up to 10 example driver_ids.
-- Violation: rows with NULL week_start
-- When it fails: A NULL week_start means a NULL lead_date reached the MV: inspect
--   ops.v_lead_dates for the examples.
select
    count(*) as violations,
    (array_agg(driver_id order by driver_id))[1:10] as examples
from ops.mv_yango_cabinet_cobranza_enriched_14d
where week_start is null
