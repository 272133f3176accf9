-- The dashboard table's totals: the figures above the table, for the rows its filters select.
-- Grain: one row (also on an empty selection: counts 0, sums 0.00).
-- Inputs: ops.cobranza_dashboard_totals, or ops.cobranza_dashboard_summary for a scout
--   filter (the MV's groups, summed once per refresh).
-- Rules: the table's filters (queries/summary_filters.sql; none applied = the unfiltered
--   summary_total). Money stays NUMERIC: total_debt_yango is the sum of
--   amount_due_yango, negatives included; positive_debt_yango sums only the positive values
--   (the debt of drivers_with_debt) and drivers_overpaid counts the negative ones (Yango paid
--   more than it owed), so total_debt_yango = positive_debt_yango + the overpaid drivers' debt.
--   drivers_mN count the reached flags (cumulative, an M25 driver counts in all three). Percentages are rounded to 2 decimals, 0 when the base is 0.
with filtered as (
    {summary_filters}
),

totals as (
    select
        coalesce(sum(drivers), 0)::bigint as total_drivers,
        coalesce(sum(drivers_with_expected), 0)::bigint as drivers_with_expected,
        coalesce(sum(drivers) filter (where amount_due_yango > 0), 0)::bigint as drivers_with_debt,
        coalesce(sum(expected_total_yango), 0.00) as total_expected_yango,
        coalesce(sum(total_paid_yango), 0.00) as total_paid_yango,
        coalesce(sum(amount_due_sum), 0.00) as total_debt_yango,
        coalesce(sum(amount_due_sum) filter (where amount_due_yango > 0), 0.00) as positive_debt_yango,
        coalesce(sum(drivers) filter (where amount_due_yango < 0), 0)::bigint as drivers_overpaid,
        coalesce(sum(drivers) filter (where reached_m1_14d), 0)::bigint as drivers_m1,
        coalesce(sum(drivers) filter (where reached_m5_14d), 0)::bigint as drivers_m5,
        coalesce(sum(drivers) filter (where reached_m25_14d), 0)::bigint as drivers_m25,
        coalesce(sum(drivers) filter (where has_scout), 0)::bigint as drivers_with_scout,
        coalesce(sum(drivers) filter (where not has_scout), 0)::bigint as drivers_without_scout
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
