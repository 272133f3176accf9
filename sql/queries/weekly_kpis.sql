-- The dashboard's weekly KPIs: per lead week, rows, debt, scout coverage, milestones, payments.
-- Grain: one row per week_start, the most recent limit_weeks weeks that have rows.
-- Inputs: ops.cobranza_dashboard_totals, or ops.cobranza_dashboard_summary for a scout
--   filter (the MV's groups, summed once per refresh).
-- Rules: the table's filters (queries/summary_filters.sql, the week range included), plus
--   scout_quality_bucket (exact). Rows with a NULL week_start are left out. debt_sum =
--   unpaid_sum = sum of amount_due_yango (negatives and zeros included), so debt_sum over all
--   weeks equals the table's total_debt_yango; expected_sum = sum of expected_total_yango.
--   reached_mN count the reached flags (cumulative). pct_with_scout is rounded to 2 decimals.
with filtered as (
    {summary_filters}
),

in_weeks as (
    select week_start, drivers, amount_due_sum, total_paid_yango, expected_total_yango, has_scout,
        reached_m1_14d, reached_m5_14d, reached_m25_14d
    from filtered
    where week_start is not null
      and (%(scout_quality_bucket)s::text is null or scout_quality_bucket = %(scout_quality_bucket)s::text)
),

weeks as (
    select
        week_start,
        sum(drivers)::bigint as total_rows,
        sum(amount_due_sum) as debt_sum,
        coalesce(sum(drivers) filter (where has_scout), 0)::bigint as with_scout,
        coalesce(sum(drivers) filter (where reached_m1_14d), 0)::bigint as reached_m1,
        coalesce(sum(drivers) filter (where reached_m5_14d), 0)::bigint as reached_m5,
        coalesce(sum(drivers) filter (where reached_m25_14d), 0)::bigint as reached_m25,
        sum(total_paid_yango) as paid_sum,
        sum(expected_total_yango) as expected_sum
    from in_weeks
    group by week_start
)

select
    week_start,
    total_rows,
    debt_sum,
    with_scout,
    round(100.0 * with_scout / total_rows, 2) as pct_with_scout,
    reached_m1,
    reached_m5,
    reached_m25,
    paid_sum,
    debt_sum as unpaid_sum,
    expected_sum
from weeks
order by week_start desc
limit %(limit_weeks)s
