-- Key business figures of the cobranza MV, recorded as materialization metadata.
-- Grain: one row for the whole MV.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: money stays NUMERIC; pct_with_scout is rounded to 2 decimals and is NULL when the MV
--   has no rows (an empty MV has no coverage, it does not have 100%).
select
    count(*) as drivers,
    count(*) filter (where amount_due_yango > 0) as drivers_with_debt,
    coalesce(sum(amount_due_yango) filter (where amount_due_yango > 0), 0)::numeric(14, 2) as total_debt_pen,
    coalesce(sum(expected_total_yango), 0)::numeric(14, 2) as total_expected_pen,
    coalesce(sum(total_paid_yango), 0)::numeric(14, 2) as total_paid_pen,
    round(100.0 * count(*) filter (where scout_id is not null) / nullif(count(*), 0), 2) as pct_with_scout
from ops.mv_yango_cabinet_cobranza_enriched_14d
