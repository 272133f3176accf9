-- The dashboard's CSV export: the table's rows, all pages, in the CSV's 32 columns.
-- Grain: one row per driver, at most max_rows rows (the caller checks the count first).
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: the table's filters (queries/dashboard_filters.sql) and its order;
--   the columns are the table's row without is_scout_resolved (the CSV's header names them in
--   Spanish, see cobranza_pipeline/api/csv_export.py). Formatting (Sí/No, empty NULLs, the
--   formula guard) happens while streaming, not here.
-- Read in two parts, as queries/cabinet_table.sql explains: the rows with a week_start in the
-- order of the week_start index, then the rows without one.
with filtered as not materialized (
    {dashboard_filters}
),

with_week as (
    select *
    from filtered
    where week_start is not null
    order by week_start desc, lead_date desc nulls last, driver_id
    limit %(max_rows)s
),

without_week as (
    select *
    from filtered
    where week_start is null
    order by lead_date desc nulls last, driver_id
    limit %(max_rows)s
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
    scout_id, scout_name, scout_quality_bucket, scout_source_table, scout_attribution_date, scout_priority
from candidates
order by week_start desc nulls last, lead_date desc nulls last, driver_id
limit %(max_rows)s
