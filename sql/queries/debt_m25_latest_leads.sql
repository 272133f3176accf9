-- Dashboard query: drivers owed money who reached M25, newest leads first.
-- Grain: one row per driver, at most 100.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: amount_due_yango > 0 and reached_m25_14d; order lead_date desc (NULLs last), driver_id.
-- Read in two parts so the lead_date index (DESC puts NULLs first) serves the order: the rows
-- with a lead_date, newest first, then the rows without one (none: every MV row has a lead).
with owed_m25 as not materialized (
    select driver_id, driver_name, lead_date, amount_due_yango, scout_id, scout_name, scout_quality_bucket
    from ops.mv_yango_cabinet_cobranza_enriched_14d
    where amount_due_yango > 0
      and reached_m25_14d
),

with_lead_date as (
    select * from owed_m25 where lead_date is not null order by lead_date desc, driver_id limit 100
),

without_lead_date as (
    select * from owed_m25 where lead_date is null order by driver_id limit 100
),

candidates as (
    select * from with_lead_date
    union all
    select * from without_lead_date
)

select driver_id, driver_name, lead_date, amount_due_yango, scout_id, scout_name, scout_quality_bucket
from candidates
order by lead_date desc nulls last, driver_id
limit 100
