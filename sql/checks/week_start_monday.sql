-- Rows of the cobranza MV whose week_start is not the Monday of lead_date.
-- Grain: one row: the count and up to 10 example driver_ids.
-- Violation: rows whose week_start is not the Monday of lead_date
-- When it fails: The MV was built by another definition: check definition_drift and
--   re-materialize the MV.
select
    count(*) as violations,
    (array_agg(driver_id order by driver_id))[1:10] as examples
from ops.mv_yango_cabinet_cobranza_enriched_14d
where week_start is distinct from date_trunc('week', lead_date)::date
