-- ops.cobranza_missing_scout_top: for every combination of the dashboard's filters, the ten
-- drivers without a scout that collections would chase first, so the scout KPIs' examples
-- read a few rows instead of every driver.
-- Grain: at most 10 rows per (week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d,
--   amount_due_yango) among the MV's drivers with no scout and a milestone reached.
-- Inputs: filled from the MV in the MV's refresh transaction (dashboard_missing_fill.sql).
-- Rules: the examples' order (amount_due_yango desc, lead_date desc, NULLs last, then
--   driver_id) ranks each group; a filter selects whole groups, so the first ten of the union
--   of its groups are the first ten of its rows.
create table {table} (
    week_start       date,
    reached_m1_14d   boolean,
    reached_m5_14d   boolean,
    reached_m25_14d  boolean,
    amount_due_yango numeric(12, 2),
    scout_id         integer,  -- always NULL: what the dashboard's scout filter compares
    driver_id        text not null,
    lead_date        date
)
