-- The dashboard's filters as conditions on a row of the MV or a group of its summary (both
-- have these columns): composed into dashboard_filters.sql, summary_filters.sql and
-- missing_filters.sql.
-- Grain: a boolean expression.
-- Rules: every filter but the scout's (conditions_besides_scout.sql), and scout_id exact.
{conditions_besides_scout}
  and (%(scout_id)s::integer is null or scout_id = %(scout_id)s::integer)
