-- The dashboard table's totals: the figures above the table, for the rows its filters select.
-- Grain: one row (also on an empty selection: counts 0, sums 0.00).
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: the table's filters (queries/dashboard_filters.sql; none applied = the unfiltered
--   summary_total). Money stays NUMERIC: total_debt_yango is the sum of
--   amount_due_yango, negatives included; positive_debt_yango sums only the positive values
--   (the debt of drivers_with_debt) and drivers_overpaid counts the negative ones (Yango paid
--   more than it owed), so total_debt_yango = positive_debt_yango + the overpaid drivers' debt.
--   drivers_mN count the reached flags (cumulative, an M25 driver counts in all three). Percentages are rounded to 2 decimals, 0 when the base is 0.
with filtered as (
    {dashboard_filters}
),

totals as (
    select
        count(*) as total_drivers,
        count(*) filter (where expected_total_yango > 0) as drivers_with_expected,
        count(*) filter (where amount_due_yango > 0) as drivers_with_debt,
        coalesce(sum(expected_total_yango), 0.00) as total_expected_yango,
        coalesce(sum(total_paid_yango), 0.00) as total_paid_yango,
        coalesce(sum(amount_due_yango), 0.00) as total_debt_yango,
        coalesce(sum(amount_due_yango) filter (where amount_due_yango > 0), 0.00) as positive_debt_yango,
        count(*) filter (where amount_due_yango < 0) as drivers_overpaid,
        count(*) filter (where reached_m1_14d) as drivers_m1,
        count(*) filter (where reached_m5_14d) as drivers_m5,
        count(*) filter (where reached_m25_14d) as drivers_m25,
        count(*) filter (where scout_id is not null) as drivers_with_scout,
        count(*) filter (where scout_id is null) as drivers_without_scout
    from filtered
)

select
    total_drivers,
    drivers_with_expected,
    drivers_with_debt,
    total_expected_yango,
    total_paid_yango,
    total_debt_yango,
    positive_debt_yango,
    drivers_overpaid,
    coalesce(round(100.0 * total_paid_yango / nullif(total_expected_yango, 0), 2), 0) as collection_percentage,
    drivers_m1,
    drivers_m5,
    drivers_m25,
    drivers_with_scout,
    drivers_without_scout,
    coalesce(round(100.0 * drivers_with_scout / nullif(total_drivers, 0), 2), 0) as pct_with_scout
from totals
