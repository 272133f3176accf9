-- Fills ops.cobranza_missing_scout_top from the MV (see dashboard_missing_table.sql).
-- Grain: at most 10 rows per group.
insert into {table} (week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d, amount_due_yango, scout_id, driver_id,
    lead_date)
select week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d, amount_due_yango, null, driver_id, lead_date
from (
    select week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d, amount_due_yango, driver_id, lead_date,
        row_number() over (
            partition by week_start, reached_m1_14d, reached_m5_14d, reached_m25_14d, amount_due_yango
            order by amount_due_yango desc nulls last, lead_date desc nulls last, driver_id
        ) as rank_in_group
    from {mv}
    where scout_id is null
      and (reached_m1_14d or reached_m5_14d or reached_m25_14d)
) as ranked
where rank_in_group <= 10
