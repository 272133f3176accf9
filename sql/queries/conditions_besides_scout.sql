-- The dashboard's filters other than the scout's, as conditions on a row of the MV or a group
-- of its summaries (all have these columns): composed into filter_conditions.sql and
-- totals_filters.sql (ops.cobranza_dashboard_totals has no scout_id).
-- Grain: a boolean expression.
-- Rules: every filter is optional (NULL, or false for only_with_debt, = not applied) and bound,
--   never spliced. only_with_debt: amount_due_yango > 0; min_debt: amount_due_yango >= it;
--   reached_milestone bands are exclusive: 'm1' = M1 not M5, 'm5' = M5 not M25, 'm25' = M25;
--   reached_at_least is cumulative: 'm1' = reached M1 (M5 and M25 drivers too), and so on (the
--   scout KPIs read the dashboard's reached_milestone that way); week_start exact
--   equality (no Monday normalization); week_start_from / week_start_to an inclusive range of
--   week_start (a row without week_start is outside any range).
(not %(only_with_debt)s or amount_due_yango > 0)
  and (%(min_debt)s::numeric is null or amount_due_yango >= %(min_debt)s::numeric)
  and (
      %(reached_milestone)s::text is null
      or (%(reached_milestone)s::text = 'm1' and reached_m1_14d and not reached_m5_14d)
      or (%(reached_milestone)s::text = 'm5' and reached_m5_14d and not reached_m25_14d)
      or (%(reached_milestone)s::text = 'm25' and reached_m25_14d)
  )
  and (
      %(reached_at_least)s::text is null
      or (%(reached_at_least)s::text = 'm1' and reached_m1_14d)
      or (%(reached_at_least)s::text = 'm5' and reached_m5_14d)
      or (%(reached_at_least)s::text = 'm25' and reached_m25_14d)
  )
  and (%(week_start)s::date is null or week_start = %(week_start)s::date)
  and (%(week_start_from)s::date is null or week_start >= %(week_start_from)s::date)
  and (%(week_start_to)s::date is null or week_start <= %(week_start_to)s::date)
