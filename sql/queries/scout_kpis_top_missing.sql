-- The scout KPIs' examples: the drivers without scout that collections cares most about.
-- Grain: one row per driver, at most 10.
-- Inputs: ops.cobranza_missing_scout_top (each group's first ten such drivers, kept once per
--   refresh).
-- Rules: the table's filters (queries/missing_filters.sql) over drivers with no scout and at
--   least one milestone reached. Ordered amount_due desc, lead_date desc (NULLs last),
--   driver_id for a stable order. amount_due_yango stays NUMERIC.
with filtered as (
    {missing_filters}
)

select
    driver_id,
    lead_date,
    reached_m1_14d as reached_m1,
    reached_m5_14d as reached_m5,
    reached_m25_14d as reached_m25,
    coalesce(amount_due_yango, 0.00) as amount_due_yango
from filtered
order by amount_due_yango desc nulls last, lead_date desc nulls last, driver_id
limit 10
