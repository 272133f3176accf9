-- How many rows the dashboard table's filters select (the table's meta.total when no summary
-- is asked for, and the CSV export's row-cap check).
-- Grain: one row.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: the table's filters (queries/dashboard_filters.sql).
with filtered as (
    {dashboard_filters}
)

select count(*) as total from filtered
