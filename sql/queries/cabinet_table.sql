-- The dashboard's table: rows of the cobranza MV with the dashboard's filters.
-- Grain: one row per driver, paged.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: the table's filters (queries/dashboard_filters.sql: each optional and bound, exclusive
--   milestone bands, exact week_start). Order: week_start desc, lead_date desc (NULLs last),
--   driver_id; then limit and offset.
-- The page is taken from two parts, each at most limit + offset rows: the rows with a
-- week_start, in the order of the page-order index (week_start DESC, lead_date DESC NULLS
-- LAST, driver_id; DESC puts NULLs first, so "NULLs last" alone could not use it and would
-- sort every row), then the rows without one (none while the week_start_not_null check
-- passes). A first page reads its rows and little more.
with filtered as not materialized (
    {dashboard_filters}
),

with_week as (
    select *
    from filtered
    where week_start is not null
    order by week_start desc, lead_date desc nulls last, driver_id
    limit %(limit)s::bigint + %(offset)s::bigint
),

without_week as (
    select *
    from filtered
    where week_start is null
    order by lead_date desc nulls last, driver_id
    limit %(limit)s::bigint + %(offset)s::bigint
),

candidates as (
    select * from with_week
    union all
    select * from without_week
)

select
    driver_id, driver_name, lead_date, iso_week, week_start, connected_flag, connected_date,
    total_trips_14d, reached_m1_14d, reached_m5_14d, reached_m25_14d,
    expected_amount_m1, expected_amount_m5, expected_amount_m25, expected_total_yango,
    claim_m1_exists, claim_m1_paid, claim_m5_exists, claim_m5_paid, claim_m25_exists, claim_m25_paid,
    paid_amount_m1, paid_amount_m5, paid_amount_m25, total_paid_yango, amount_due_yango,
    scout_id, scout_name, scout_quality_bucket, is_scout_resolved, scout_source_table,
    scout_attribution_date, scout_priority
from candidates
order by week_start desc nulls last, lead_date desc nulls last, driver_id
limit %(limit)s offset %(offset)s
