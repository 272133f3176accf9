-- Milestones are cumulative: M25 implies M5 implies M1.
-- Grain: one row: the count of rows breaking it and up to 10 examples.
-- Violation: rows where M25 or M5 is reached without the milestone below
-- When it fails: Reached flags must be cumulative: inspect ops.v_cabinet_financial_14d for
--   the examples.
select
    count(*) as violations,
    (array_agg(driver_id order by driver_id))[1:10] as examples
from ops.mv_yango_cabinet_cobranza_enriched_14d
where (reached_m25_14d and not reached_m5_14d)
   or (reached_m5_14d and not reached_m1_14d)
