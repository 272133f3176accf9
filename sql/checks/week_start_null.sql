-- Rows of the cobranza MV whose week_start is NULL (weekly reports would lose them).
-- Grain: one row: the count and up to 10 example driver_ids.
select
    count(*) as violations,
    (array_agg(driver_id order by driver_id))[1:10] as examples
from ops.mv_yango_cabinet_cobranza_enriched_14d
where week_start is null
