-- The scout KPIs' examples: the drivers without scout that collections cares most about.
-- Grain: one row per driver, at most 10.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: the table's filters (queries/dashboard_filters.sql); then no
--   scout (scout_id is null) and at least one milestone reached. Ordered amount_due desc,
--   lead_date desc (NULLs last), driver_id for a stable order. amount_due_yango stays NUMERIC.
with filtered as (
    {dashboard_filters}
),

missing_with_milestone as (
    select *
    from filtered
    where scout_id is null
      and (reached_m1_14d or reached_m5_14d or reached_m25_14d)
)

select
    driver_id,
    lead_date,
    reached_m1_14d as reached_m1,
    reached_m5_14d as reached_m5,
    reached_m25_14d as reached_m25,
    coalesce(amount_due_yango, 0.00) as amount_due_yango
from missing_with_milestone
order by amount_due_yango desc nulls last, lead_date desc nulls last, driver_id
limit 10
