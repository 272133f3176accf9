-- The dashboard's filters over ops.cobranza_dashboard_summary: the groups every aggregate query
-- of sql/queries/ starts from (the body of their `filtered` CTE) when a scout filter is given;
-- without one the API composes totals_filters.sql in its place. Every filter is on a column
-- the summary groups by, so it keeps or drops whole groups, and the aggregates summed over the
-- kept groups equal those over the MV rows the same filters keep (queries/dashboard_filters.sql;
-- tests/serving/test_summary_equals_rows.py).
-- Grain: one row per group of the summary that the filters keep.
-- Inputs: ops.cobranza_dashboard_summary.
-- Rules: queries/filter_conditions.sql.
select *
from ops.cobranza_dashboard_summary
where {filter_conditions}
