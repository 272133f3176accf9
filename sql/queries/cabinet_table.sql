-- The dashboard's table: rows of the cobranza MV with the dashboard's filters.
-- Grain: one row per driver, paged.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: the table's filters (queries/dashboard_filters.sql: each optional and bound, exclusive
--   milestone bands, exact week_start). Order: week_start desc, lead_date desc (NULLs last),
--   driver_id; then limit and offset.
with filtered as (
    {dashboard_filters}
)

select
    driver_id, driver_name, lead_date, iso_week, week_start, connected_flag, connected_date,
    total_trips_14d, reached_m1_14d, reached_m5_14d, reached_m25_14d,
    expected_amount_m1, expected_amount_m5, expected_amount_m25, expected_total_yango,
    claim_m1_exists, claim_m1_paid, claim_m5_exists, claim_m5_paid, claim_m25_exists, claim_m25_paid,
    paid_amount_m1, paid_amount_m5, paid_amount_m25, total_paid_yango, amount_due_yango,
    scout_id, scout_name, scout_quality_bucket, is_scout_resolved, scout_source_table,
    scout_attribution_date, scout_priority
from filtered
order by week_start desc nulls last, lead_date desc nulls last, driver_id
limit %(limit)s offset %(offset)s
