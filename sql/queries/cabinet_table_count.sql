-- How many rows the dashboard table's filters select (the table's meta.total when no summary
-- is asked for, and the CSV export's row-cap check).
-- Grain: one row.
-- Inputs: ops.cobranza_dashboard_totals, or ops.cobranza_dashboard_summary for a scout filter.
-- Rules: the table's filters (queries/summary_filters.sql).
with filtered as (
    {summary_filters}
)

select coalesce(sum(drivers), 0)::bigint as total from filtered
