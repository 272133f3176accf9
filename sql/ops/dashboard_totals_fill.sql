-- Fills ops.cobranza_dashboard_totals from the MV (see dashboard_totals_table.sql).
-- Grain: one row per combination of the group's keys present in the MV.
insert into {table} (
    week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d, amount_due_yango, scout_quality_bucket,
    scout_source_table, has_person_key, has_scout, drivers, drivers_with_expected, expected_total_yango,
    total_paid_yango, amount_due_sum
)
select
    week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d, amount_due_yango, scout_quality_bucket,
    scout_source_table, person_key is not null, scout_id is not null,
    count(*),
    count(*) filter (where expected_total_yango > 0),
    coalesce(sum(expected_total_yango), 0),
    coalesce(sum(total_paid_yango), 0),
    coalesce(sum(amount_due_yango), 0)
from {mv}
group by 1, 2, 3, 4, 5, 6, 7, 8, 9
