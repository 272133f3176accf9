-- ops.cobranza_dashboard_summary: the cobranza MV counted and summed once per refresh, per
-- combination of everything the dashboard filters or breaks down by, scout included: what
-- the scout filter and the page's scout choices read. Requests without a scout filter read
-- ops.cobranza_dashboard_totals, the same groups without the scout (dashboard_totals_table.sql).
-- Grain: one row per (week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d,
--   amount_due_yango, scout_id, scout_quality_bucket, scout_source_table, has_person_key);
--   scout_name and has_scout are keys too, but one per scout_id (ops.v_dim_scouts; scout_id is
--   not null), so they split no group. Indexed on scout_id: the scout filter reads its groups.
-- Inputs: filled from the MV in the MV's refresh transaction (dashboard_summary_fill.sql), so a
--   reader sees the MV and its summary of the same refresh.
-- Rules: money stays NUMERIC; every sum is exact, so a total over groups equals the total over
--   the MV's rows (tests/serving/test_summary_equals_rows.py).
create table {table} (
    week_start            date,
    reached_m1_14d        boolean,
    reached_m5_14d        boolean,
    reached_m25_14d       boolean,
    amount_due_yango      numeric(12, 2),
    scout_id              integer,
    scout_name            text,
    scout_quality_bucket  text,
    scout_source_table    text,
    has_person_key        boolean,
    has_scout             boolean not null,
    drivers               bigint not null,
    drivers_with_expected bigint not null,
    expected_total_yango  numeric(16, 2) not null,
    total_paid_yango      numeric(16, 2) not null,
    amount_due_sum        numeric(16, 2) not null
);

create index on {table} (scout_id)
