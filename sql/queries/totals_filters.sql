-- The dashboard's filters over ops.cobranza_dashboard_totals: what every aggregate query of
-- sql/queries/ starts from when no scout filter is given (the API composes this file in place
-- of summary_filters.sql then: dashboard/queries.py). The groups are those of
-- ops.cobranza_dashboard_summary without the scout, so the same filters keep the same drivers.
-- Grain: one row per group of the totals that the filters keep.
-- Inputs: ops.cobranza_dashboard_totals.
-- Rules: queries/conditions_besides_scout.sql.
select *
from ops.cobranza_dashboard_totals
where {conditions_besides_scout}
