-- The dashboard's filters over the cobranza MV: the rows every row query of sql/queries/
-- starts from (the body of their `filtered` CTE).
-- Grain: one row per driver of the MV that the filters keep; every column.
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
-- Rules: queries/filter_conditions.sql.
select *
from ops.mv_yango_cabinet_cobranza_enriched_14d
where {filter_conditions}
