-- The drivers collections cares most about that have no scout: reached a milestone, most owed.
-- Grain: one row per driver, at most 20.
-- Rules: ordered amount_due desc, lead_date desc (NULLs last), driver_id for a stable order.
select driver_id, lead_date, reached_m1_14d, reached_m5_14d, reached_m25_14d,
    amount_due_yango, expected_total_yango
from ops.mv_yango_cabinet_cobranza_enriched_14d
where scout_id is null
  and (reached_m1_14d or reached_m5_14d or reached_m25_14d)
order by amount_due_yango desc nulls last, lead_date desc nulls last, driver_id
limit 20
