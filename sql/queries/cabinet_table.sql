-- The dashboard's table: rows of the cobranza MV with the dashboard's filters.
-- Grain: one row per driver, paged.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: every filter is optional (NULL = not applied) and bound, never spliced.
--   reached_milestone bands are exclusive: 'm1' = M1 not M5, 'm5' = M5 not M25, 'm25' = M25.
--   week_start is exact equality. Order: week_start desc, lead_date desc (NULLs last), driver_id.
select
    driver_id, driver_name, lead_date, iso_week, week_start, connected_flag, connected_date,
    total_trips_14d, reached_m1_14d, reached_m5_14d, reached_m25_14d,
    expected_amount_m1, expected_amount_m5, expected_amount_m25, expected_total_yango,
    claim_m1_exists, claim_m1_paid, claim_m5_exists, claim_m5_paid, claim_m25_exists, claim_m25_paid,
    paid_amount_m1, paid_amount_m5, paid_amount_m25, total_paid_yango, amount_due_yango,
    scout_id, scout_name, scout_quality_bucket, is_scout_resolved, scout_source_table,
    scout_attribution_date, scout_priority
from ops.mv_yango_cabinet_cobranza_enriched_14d
where (not %(only_with_debt)s or amount_due_yango > 0)
  and (%(min_debt)s::numeric is null or amount_due_yango >= %(min_debt)s::numeric)
  and (
      %(reached_milestone)s::text is null
      or (%(reached_milestone)s::text = 'm1' and reached_m1_14d and not reached_m5_14d)
      or (%(reached_milestone)s::text = 'm5' and reached_m5_14d and not reached_m25_14d)
      or (%(reached_milestone)s::text = 'm25' and reached_m25_14d)
  )
  and (%(scout_id)s::integer is null or scout_id = %(scout_id)s::integer)
  and (%(week_start)s::date is null or week_start = %(week_start)s::date)
order by week_start desc nulls last, lead_date desc nulls last, driver_id
limit %(limit)s offset %(offset)s
