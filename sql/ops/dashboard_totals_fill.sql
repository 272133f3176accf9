-- Fills ops.cobranza_dashboard_totals (see dashboard_totals_table.sql) from
-- ops.cobranza_dashboard_summary, refilled just before it in the same transaction (the MV's
-- derived tables are refilled in their declared order): the per-scout groups summed over the
-- scout, instead of a second pass over every MV row. <mv> is not read.
-- Grain: one row per combination of the group's keys present in the MV.
insert into {table} (
    week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d, amount_due_yango, scout_quality_bucket,
    scout_source_table, has_person_key, has_scout, drivers, drivers_with_expected, expected_total_yango,
    total_paid_yango, amount_due_sum
)
select
    week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d, amount_due_yango, scout_quality_bucket,
    scout_source_table, has_person_key, has_scout,
    sum(drivers),
    sum(drivers_with_expected),
    sum(expected_total_yango),
    sum(total_paid_yango),
    sum(amount_due_sum)
from ops.cobranza_dashboard_summary
group by 1, 2, 3, 4, 5, 6, 7, 8, 9
