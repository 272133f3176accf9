-- Dashboard query: drivers owed money who reached M25, newest leads first.
-- Grain: one row per driver, at most 100.
select driver_id, driver_name, lead_date, amount_due_yango, scout_id, scout_name, scout_quality_bucket
from ops.mv_yango_cabinet_cobranza_enriched_14d
where amount_due_yango > 0
  and reached_m25_14d
order by lead_date desc nulls last, driver_id
limit 100
