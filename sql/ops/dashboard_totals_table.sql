-- ops.cobranza_dashboard_totals: the cobranza MV counted and summed once per refresh, per
-- combination of everything the dashboard filters or breaks down by except the scout itself
-- (whether a driver has one stays a key). What every aggregate request without a scout filter
-- reads: its groups are bounded by the weeks and the few values of the other keys, not by
-- the drivers or the scouts (1,985 groups for 99,077 drivers, against the 36,613 of
-- ops.cobranza_dashboard_summary, which keeps the scout for the scout filter).
-- Grain: one row per (week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d,
--   amount_due_yango, scout_quality_bucket, scout_source_table, has_person_key, has_scout).
-- Inputs: filled from ops.cobranza_dashboard_summary in the MV's refresh transaction
--   (dashboard_totals_fill.sql).
-- Rules: the columns and sums of ops.cobranza_dashboard_summary, without scout_id and
--   scout_name; every sum is exact (tests/serving/test_summary_equals_rows.py).
create table {table} (
    week_start            date,
    reached_m1_14d        boolean,
    reached_m5_14d        boolean,
    reached_m25_14d       boolean,
    amount_due_yango      numeric(12, 2),
    scout_quality_bucket  text,
    scout_source_table    text,
    has_person_key        boolean,
    has_scout             boolean not null,
    drivers               bigint not null,
    drivers_with_expected bigint not null,
    expected_total_yango  numeric(16, 2) not null,
    total_paid_yango      numeric(16, 2) not null,
    amount_due_sum        numeric(16, 2) not null
)
